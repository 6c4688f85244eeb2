#pragma once
// Kubernetes Status bodies, and turning any failed response into one line a user can act on.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "kube/client.hpp"

namespace shift::kube {

struct StatusCause {
    std::string reason, message, field;
};

// metav1.Status, the body of every error the API server itself writes.
struct KubeStatus {
    long code = 0;
    std::string reason, message;
    std::string kind, group, name;  // details
    std::vector<StatusCause> causes;
};

// The Status in a response body, or nullopt when the body is something else (e.g. the text/plain
// "404 page not found" of an API version the server does not serve).
std::optional<KubeStatus> parseStatus(const Response& r);

const char* httpStatusText(long status);

// What a request was for, to word its failure.
struct RequestInfo {
    std::string verb;      // RBAC verb: get, list, update
    std::string resource;  // plural resource: virtualservices
    std::string group;     // networking.istio.io
    std::string ns;
    std::string name;         // "" for a list
    std::string contextName;  // names the credentials on a 401
};

// A one-line Error (kExitApi) for a non-2xx response:
//   401 `the server rejected the credentials of context "x" (401 Unauthorized); check the token or
//   certificate` 403 `forbidden: User "u" cannot get virtualservices.networking.istio.io in namespace "n";
//   ask for RBAC get on virtualservices` 404 `virtualservice "r" not found in namespace "n"` 400/422 `the
//   server rejected the change: <field>: <message>; ...`
Error responseError(const Response& r, const RequestInfo& info);

}  // namespace shift::kube
