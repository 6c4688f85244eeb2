#pragma once
// A value or a user-facing error. Expected failures are values, not exceptions
// (std::expected is not in GCC 12).
#include <string>
#include <utility>
#include <variant>

namespace shift {

// Exit codes, documented in the README and man page.
enum Exit : int {
    kExitOk = 0,            // success, or no change
    kExitChanged = 1,       // --exit-code: the request would change something
    kExitInput = 2,         // bad request, flags, file or manifest: nothing changed
    kExitApi = 3,           // the cluster could not be reached or refused: nothing changed
    kExitConflict = 4,      // the object kept changing under us: gave up, nothing changed
    kExitCheckFailed = 5,   // rollout: a health check failed; rolled back or held as asked
    kExitInterrupted = 6,   // rollout: interrupted by a signal; rolled back or held as asked
    kExitOtherWriter = 7,   // rollout: someone else changed the route; stopped without fighting it
    kExitPrecondition = 8,  // --expect: the current split differs; nothing written
    kExitLocked = 9,        // another rollout holds the object (fresh heartbeat); nothing written
};

struct Error {
    std::string message;  // one line: the problem and the fix
    int exit = kExitInput;
    // A write whose answer was lost (the connection broke after it may have reached the server, or
    // the answer was unreadable): it may have been applied. Callers that track several writes must
    // not count it as "nothing written".
    bool maybeApplied = false;
};

template <class T>
class Result {
   public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error e) : v_(std::move(e)) {}

    explicit operator bool() const { return v_.index() == 0; }
    bool ok() const { return v_.index() == 0; }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

   private:
    std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status okStatus() { return Unit{}; }

inline Error fail(std::string message, int exit = kExitInput) { return Error{std::move(message), exit}; }

}  // namespace shift
