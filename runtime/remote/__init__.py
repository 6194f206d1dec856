"""Elsa 2 servers: an async client of the Elsa 2.15 REST API (:mod:`runtime.remote.client`), the conversions
between its shapes and the runtime's model (:mod:`~runtime.remote.convert`), saved servers and their
credentials (:mod:`~runtime.remote.servers`), and the servers' activity descriptors.

Used by ``flowdesk remote``/``pull``/``push`` and the designer. Import the modules themselves: this package
imports nothing, so ``remote add/list/remove`` (:mod:`~runtime.remote.servers`) never load httpx or pydantic,
which only the client and the models need.
"""
