// Status and Result<T>: the one error model of saleslake.
//
// Every fallible function returns a Status or a Result<T>; both are [[nodiscard]]. Exceptions from
// libraries are caught only at boundaries (main, HTTP handlers, SQLite callbacks) and turned into a
// Status there. A Status message is written for the person who will read it: what went wrong,
// where, and, when we know, what to do.
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace saleslake {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,    // the caller's input is wrong (flag, parameter, record, SQL)
  kNotFound,           // a file, object, table or key does not exist
  kAlreadyExists,      // creating something that is already there
  kIOError,            // the operating system or the network failed
  kCorruption,         // stored bytes do not mean what they claim (bad footer, CRC mismatch)
  kNotSupported,       // valid, but saleslake does not implement it
  kResourceExhausted,  // a size, count or depth cap was hit
  kUnavailable,        // a service is down or refused; retrying may help
  kPermissionDenied,   // credentials or roles refuse the operation
  kTimeout,            // a deadline passed
  kAborted,            // a concurrent actor won (lock held, precondition failed)
  kInternal,           // a bug in saleslake
};

// Returns a short stable name such as "InvalidArgument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message);

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) {
    return {StatusCode::kAlreadyExists, std::move(msg)};
  }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status NotSupported(std::string msg) {
    return {StatusCode::kNotSupported, std::move(msg)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }
  static Status Timeout(std::string msg) { return {StatusCode::kTimeout, std::move(msg)}; }
  static Status Aborted(std::string msg) { return {StatusCode::kAborted, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  // The message alone, without the code name. Empty when OK.
  const std::string& message() const;
  // "Code: message", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "context: message". OK stays OK.
  Status WithContext(std::string_view context) const;

  bool Is(StatusCode c) const { return code() == c; }
  bool IsNotFound() const { return code() == StatusCode::kNotFound; }

  // Marks a status as deliberately ignored (e.g. a best-effort cleanup on an error path).
  void IgnoreError() const {}

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  // Shared and immutable: copying a Status is cheap and OK costs one null pointer.
  std::shared_ptr<const State> state_;
};

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "Result<Status> is meaningless");

 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result constructed from an OK Status");
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result constructed from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T ValueOr(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace saleslake

#define SL_CONCAT_INNER_(a, b) a##b
#define SL_CONCAT_(a, b) SL_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define SL_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::saleslake::Status sl_status_ = (expr); \
    if (!sl_status_.ok()) return sl_status_; \
  } while (0)

// Evaluates `rexpr` (a Result<T>); on error returns its Status, else moves the value into `lhs`.
//   SL_ASSIGN_OR_RETURN(auto file, fs->OpenForRead(path));
#define SL_ASSIGN_OR_RETURN(lhs, rexpr) \
  SL_ASSIGN_OR_RETURN_IMPL_(SL_CONCAT_(sl_result_, __LINE__), lhs, rexpr)
#define SL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                              \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
