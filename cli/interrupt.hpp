#pragma once
// Ctrl-C (or SIGTERM) while a change is being written to the cluster: the process still ends at once,
// but first says whether the change had been sent and how to check, so the user is never left guessing.
#include <string>

namespace shift::cli {

// Installs the handlers until the guard is destroyed. Each message is printed as is (one line).
class WriteGuard {
   public:
    WriteGuard(std::string beforeSend, std::string afterSend);
    ~WriteGuard();
    WriteGuard(const WriteGuard&) = delete;
    WriteGuard& operator=(const WriteGuard&) = delete;

    // The request that may change the object is about to go out: from now on, say so.
    static void markSent();
};

}  // namespace shift::cli
