// Writing a response to a client's non-blocking socket from a worker, with a deadline per wait:
// a client that stops reading is dropped after the server's write timeout instead of holding the
// worker for ever.
#pragma once

#include <initializer_list>
#include <string_view>

namespace saleslake::web {

// Writes every piece, in order, waiting at most `timeout_seconds` each time the socket is full.
// False when the client went away or stayed full too long (the connection must then close).
bool WriteAll(int fd, std::initializer_list<std::string_view> pieces, int timeout_seconds);

}  // namespace saleslake::web
