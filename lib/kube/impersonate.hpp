#pragma once
// Impersonate-* request headers, as client-go's impersonating round tripper writes them.
#include <string>
#include <vector>

#include "kube/kubeconfig.hpp"

namespace shift::kube {

// "Impersonate-User: NAME" and friends; none when no user is impersonated.
std::vector<std::string> impersonationHeaders(const Impersonation& as);

}  // namespace shift::kube
