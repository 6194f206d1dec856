"""The canvas: a view of one workflow model (scene, cards, ports, wires, overlay); it draws, never edits."""
