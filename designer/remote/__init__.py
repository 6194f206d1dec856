"""The designer's side of Elsa 2 servers: background calls, the Servers and Open from Server dialogs, the
Server Instances panel and the replay of a server instance on the canvas. The client and every conversion
are the runtime's (:mod:`runtime.remote`); :mod:`designer.features.remote` plugs these into the window."""
