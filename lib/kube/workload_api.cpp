// The Pods and EndpointSlices make-before-break reads (istio_api.hpp declares them).
#include <fmt/format.h>

#include "kube/api_error.hpp"
#include "kube/istio_api.hpp"
#include "kube/query.hpp"

namespace shift::kube {

namespace {

std::string withSelector(std::string path, const std::string& selector) {
    return selector.empty() ? path : path + "?labelSelector=" + queryValue(selector);
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
