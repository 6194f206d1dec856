"""Running and debugging in the window: the engine runs off the GUI thread; its events come as Qt signals."""
