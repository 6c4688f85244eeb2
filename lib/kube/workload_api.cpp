// The Pods and EndpointSlices make-before-break reads (istio_api.hpp declares them).
#include <fmt/format.h>

#include <cctype>

#include "kube/api_error.hpp"
#include "kube/istio_api.hpp"

namespace shift::kube {

namespace {

// A label selector as a query value: '=' and ',' percent-encoded, as kubectl sends them.
std::string selectorQuery(const std::string& selector) {
    std::string out;
    for (unsigned char c : selector) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string withSelector(std::string path, const std::string& selector) {
    return selector.empty() ? path : path + "?labelSelector=" + selectorQuery(selector);
}

}  // namespace

Result<std::string> Api::listPods(const std::string& ns, const std::string& labelSelector) {
    auto r = get(withSelector(fmt::format("/api/v1/namespaces/{}/pods", ns), labelSelector));
    if (!r) return r.error();
    if (!r->ok()) return responseError(*r, RequestInfo{"list", "pods", "", ns, "", context_});
    return std::move(r->body);
}

Result<std::string> Api::listEndpointSlices(const std::string& ns, const std::string& labelSelector) {
    auto r = get(withSelector(fmt::format("/apis/discovery.k8s.io/v1/namespaces/{}/endpointslices", ns),
                              labelSelector));
    if (!r) return r.error();
    if (!r->ok())
        return responseError(*r, RequestInfo{"list", "endpointslices", "discovery.k8s.io", ns, "", context_});
    return std::move(r->body);
}

}  // namespace shift::kube
