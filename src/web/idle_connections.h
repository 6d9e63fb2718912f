// Closing idle kept-alive connections when a server stops.
//
// After cpp-httplib's stop(), a worker waiting on an idle kept-alive connection keeps waiting until
// the keep-alive timeout. Shutting down the read side of that socket wakes it to find end-of-file,
// so the drain ends as soon as the responses in flight are done. The library does not expose its
// connection sockets, so they are found among the process's open descriptors: connected stream
// sockets whose local port is the server's.
#pragma once

#include <set>

namespace saleslake::web {

// Shuts down the read side of every connection accepted on `port` whose peer port is not in
// `busy_peer_ports`. Busy connections (answering a request) are left alone: the library treats a
// socket that reads end-of-file as dead and would cut the response. Without /proc this does
// nothing, and idle connections end at their keep-alive timeout.
void EndIdleKeepAliveWaits(int port, const std::multiset<int>& busy_peer_ports);

}  // namespace saleslake::web
