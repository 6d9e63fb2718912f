#include "web/idle_connections.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

namespace saleslake::web {

void EndIdleKeepAliveWaits(int port, const std::multiset<int>& busy_peer_ports) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;  // no /proc: idle connections end at their keep-alive timeout
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    const int fd = std::atoi(entry->d_name);
    int type = 0;
    socklen_t type_len = sizeof(type);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_len) != 0 || type != SOCK_STREAM) {
      continue;
    }
    sockaddr_storage local{};
    socklen_t local_len = sizeof(local);
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof(peer);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0 ||
        local.ss_family != peer.ss_family) {
      continue;
    }
    int local_port = -1;
    int peer_port = -1;
    if (local.ss_family == AF_INET) {
      local_port = ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
      peer_port = ntohs(reinterpret_cast<sockaddr_in*>(&peer)->sin_port);
    } else if (local.ss_family == AF_INET6) {
      local_port = ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
      peer_port = ntohs(reinterpret_cast<sockaddr_in6*>(&peer)->sin6_port);
    }
    if (local_port != port || busy_peer_ports.count(peer_port) > 0) continue;
    ::shutdown(fd, SHUT_RD);
  }
  closedir(dir);
}

}  // namespace saleslake::web
