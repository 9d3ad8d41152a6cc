"""The live core: one WebSocket per browser tab at /ws/live/ (DESIGN.md, Live protocol).

- `streams`: each app declares the streams it serves ("thread:42") and who may
  subscribe, how to read the backlog after a seq, and how to mark one read.
- `publish`: services send events to a stream's subscribers after commit.
- `consumer`: the protocol itself.

The database is the truth; the channel layer is at-most-once. A client that misses
an event notices the gap in `seq` and subscribes again with the last seq it holds.
"""
