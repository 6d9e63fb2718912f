// The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) over a stored password hash
// (auth/credentials.h): the PBKDF2-HMAC-SHA256 hash the dashboard stores is SCRAM's
// SaltedPassword, so StoredKey and ServerKey are derived from it at sign-in and no second secret
// is kept. Channel binding (-PLUS) is not offered; a client that demands it is refused.
//
//   ScramServer scram(user ? ParsePasswordHash(user->password_hash) : std::nullopt);
//   SL_ASSIGN_OR_RETURN(std::string server_first, scram.ClientFirst(client_first));
//   SL_ASSIGN_OR_RETURN(std::string server_final, scram.ClientFinal(client_final));
//   // ok: send server_final, then AuthenticationOk
//
// With no hash (an unknown user) the exchange runs on a made-up salt and always fails at the
// proof, so a client cannot tell unknown users from wrong passwords.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/credentials.h"
#include "base/status.h"

namespace saleslake::auth {

class ScramServer {
 public:
  explicit ScramServer(std::optional<PasswordHash> hash);

  // "n,,n=user,r=nonce" -> "r=nonce+ours,s=salt,i=iterations".
  Result<std::string> ClientFirst(std::string_view message);
  // "c=biws,r=nonce,p=proof" -> "v=server signature" when the proof is right; an error otherwise.
  Result<std::string> ClientFinal(std::string_view message);

 private:
  std::optional<PasswordHash> hash_;
  PasswordHash used_;  // hash_, or the made-up one
  std::string gs2_header_, client_first_bare_, server_first_, nonce_;
  bool first_done_ = false;
};

// For tests and clients: the client's proof for a password (what libpq computes).
std::string ScramClientProof(std::string_view password, const PasswordHash& salt_and_iterations,
                             std::string_view auth_message);

}  // namespace saleslake::auth
