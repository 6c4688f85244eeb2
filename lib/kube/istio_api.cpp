#include "kube/istio_api.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "kube/api_error.hpp"
#include "kube/query.hpp"

namespace shift::kube {

namespace {

constexpr size_t kMaxNamesInHint = 10;

// kube-apiserver answers an unserved group version with text/plain "404 page not found", and a
// missing object of a served one with a JSON Status.
bool unserved(const Response& r) { return r.status == 404 && !parseStatus(r); }

// Kubernetes names objects with DNS-1123 subdomains; another name would reach the server as a
// malformed URL (a space) or a 404, so it is refused before any request.
Status checkName(const std::string& name, const char* kind = "VirtualService") {
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    bool ok = !name.empty() && name.size() <= 253 && alnum(name.front()) && alnum(name.back()) &&
              std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '-' || c == '.'; });
    if (ok) return okStatus();
    return fail(
        fmt::format("invalid {} name \"{}\": a name is a DNS-1123 subdomain (lowercase letters, digits, '-' "
                    "and '.', starting and ending with a letter or digit); check the spelling",
                    kind, name));
}

// The metadata.name of each item of a list body, in order; nullopt when the body is not a list.
std::optional<std::vector<std::string>> itemNames(const std::string& body) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("items") || !doc["items"].is_array())
        return std::nullopt;
    std::vector<std::string> names;
    for (const auto& item : doc["items"]) {
        if (!item.is_object()) continue;
        auto md = item.find("metadata");
        if (md != item.end() && md->is_object() && md->contains("name") && (*md)["name"].is_string())
            names.push_back((*md)["name"].get<std::string>());
    }
    return names;
}

}  // namespace

// Newest first: Istio 1.22+ serves v1, 1.8-1.21 prefer v1beta1, older ones only v1alpha3.
const RouteResource& virtualServices() {
    static const RouteResource r{
        kIstioGroup, "virtualservices", "VirtualService", {"v1", "v1beta1", "v1alpha3"}};
    return r;
}

// Gateway API 1.0+ serves HTTPRoute in v1; 0.5-0.8 (and the experimental channel) in v1beta1.
const RouteResource& httpRoutes() {
    static const RouteResource r{kGatewayGroup, "httproutes", "HTTPRoute", {"v1", "v1beta1"}};
    return r;
}

Api::Api(Client& client, std::string contextName) : client_(client), context_(std::move(contextName)) {}

std::string Api::path(const std::string& version, const std::string& ns, const std::string& resource,
                      const std::string& name) const {
    return pathIn(kIstioGroup, version, ns, resource, name);
}

std::string Api::pathIn(const char* group, const std::string& version, const std::string& ns,
                        const std::string& resource, const std::string& name) const {
    std::string p = ns.empty() ? fmt::format("/apis/{}/{}/{}", group, version, resource)
                               : fmt::format("/apis/{}/{}/namespaces/{}/{}", group, version, ns, resource);
    if (!name.empty()) p += "/" + name;
    return p;
}

namespace {

Error garbled(std::string_view method, const std::string& path) {
    return fail(fmt::format("the answer to {} {} is not valid JSON: cut short or garbled on the way (a proxy "
                            "in between?); run again, and check the network if it persists",
                            method, path),
                kExitApi);
}

}  // namespace

// kube-apiserver answers JSON; an answer that is not was cut short or garbled on the way, and is not
// the server's word: a GET asks again (three attempts), then says so.
Result<Response> Api::get(const std::string& path) {
    for (int attempt = 1;; ++attempt) {
        auto r = client_.request("GET", path);
        if (!r || !r->ok() || nlohmann::json::accept(r->body)) return r;
        if (attempt == 3) return garbled("GET", path);
    }
}

Result<Response> Api::getServed(const std::string& ns, const std::string& resource, const std::string& name,
                                const std::string& query) {
    return getServedIn(virtualServices(), resource, ns, name, query);
}

std::string& Api::versionOf(const RouteResource& kind) {
    return std::string_view(kind.group) == kGatewayGroup ? gatewayVersion_ : version_;
}

Result<std::optional<Response>> Api::findServed(const RouteResource& kind, const std::string& resource,
                                                const std::string& ns, const std::string& name,
                                                const std::string& query) {
    auto& served = versionOf(kind);
    std::vector<std::string> versions = served.empty() ? kind.versions : std::vector<std::string>{served};
    for (const auto& v : versions) {
        auto r = get(pathIn(kind.group, v, ns, resource, name) + query);
        if (!r) return r.error();
        if (unserved(*r)) continue;
        if (r->ok() || r->status == 404) served = v;
        return std::optional<Response>(std::move(*r));
    }
    return std::optional<Response>();
}

Result<Response> Api::getServedIn(const RouteResource& kind, const std::string& resource,
                                  const std::string& ns, const std::string& name, const std::string& query) {
    auto r = findServed(kind, resource, ns, name, query);
    if (!r) return r.error();
    if (*r) return std::move(**r);
    return std::string_view(kind.group) == kIstioGroup ? noIstio() : noGroup(kind);
}

Error Api::noGroup(const RouteResource& kind) {
    return fail(fmt::format("the cluster serves no {} {} API in {}; are the Gateway API CRDs installed "
                            "(kubectl get crd httproutes.gateway.networking.k8s.io)?",
                            kind.group, kind.kind, fmt::join(kind.versions, " or ")),
                kExitApi);
}

Error Api::noIstio() {
    auto r = get(fmt::format("/apis/{}", kIstioGroup));
    if (!r) return r.error();
    if (r->status == 404)
        return fail("the cluster serves no networking.istio.io VirtualService API; is Istio installed?",
                    kExitApi);
    if (!r->ok()) return responseError(*r, RequestInfo{"get", "apigroups", "", "", kIstioGroup, context_});
    std::vector<std::string> served;
    auto doc = nlohmann::json::parse(r->body, nullptr, false);
    if (!doc.is_discarded() && doc.contains("versions") && doc["versions"].is_array())
        for (const auto& v : doc["versions"])
            if (v.is_object() && v.contains("version") && v["version"].is_string())
                served.push_back(v["version"]);
    return fail(
        fmt::format(
            "the cluster serves networking.istio.io {} but no VirtualService API in v1, v1beta1 or v1alpha3; "
            "is this Istio release supported?",
            served.empty() ? std::string("in no version") : fmt::format("{}", fmt::join(served, ", "))),
        kExitApi);
}

Result<Object> Api::getVirtualService(const std::string& ns, const std::string& name) {
    return getRoute(virtualServices(), ns, name);
}

Result<Object> Api::getRoute(const RouteResource& kind, const std::string& ns, const std::string& name) {
    if (auto st = checkName(name, kind.kind); !st) return st.error();
    RequestInfo info{"get", kind.resource, kind.group, ns, name, context_};
    auto r = getServedIn(kind, kind.resource, ns, name);
    if (!r) return r.error();
    if (r->ok()) return Object{versionOf(kind), std::move(r->body)};
    Error e = responseError(*r, info);
    if (r->status == 404) {
        // Name what is there: a typo is the usual cause.
        auto list = getServedIn(kind, kind.resource, ns, "");
        auto names = list && list->ok() ? itemNames(list->body) : std::nullopt;
        if (names) {
            std::sort(names->begin(), names->end());
            if (names->empty())
                e.message += "; there are none";
            else if (names->size() <= kMaxNamesInHint)
                e.message += fmt::format("; {} there: {}", kind.resource, fmt::join(*names, ", "));
        }
    }
    return e;
}

Result<std::string> Api::listRoutes(const RouteResource& kind, const std::string& ns,
                                    const std::string& name) {
    auto r = getServedIn(kind, kind.resource, ns, "",
                         name.empty() ? "" : "?fieldSelector=metadata.name%3D" + name);
    if (!r) return r.error();
    if (!r->ok()) return responseError(*r, RequestInfo{"list", kind.resource, kind.group, ns, "", context_});
    return std::move(r->body);
}

Result<std::string> Api::listRoutesLabeled(const RouteResource& kind, const std::string& ns,
                                           const std::string& labelSelector, bool absentIsEmpty) {
    auto found = findServed(kind, kind.resource, ns, "", "?labelSelector=" + queryValue(labelSelector));
    if (!found) return found.error();
    bool istio = std::string_view(kind.group) == kIstioGroup;
    if (!*found && absentIsEmpty && !istio)
        return fmt::format(R"({{"kind":"{}List","items":[]}})", kind.kind);
    if (!*found) return istio ? noIstio() : noGroup(kind);
    auto& r = *found;
    if (!r->ok()) return responseError(*r, RequestInfo{"list", kind.resource, kind.group, ns, "", context_});
    return std::move(r->body);
}

Result<std::string> Api::listReferenceGrants(const std::string& ns) {
    auto r = get(pathIn(kGatewayGroup, "v1beta1", ns, "referencegrants"));
    if (!r) return r.error();
    if (r->status == 404) return std::string(R"({"kind":"ReferenceGrantList","items":[]})");
    if (!r->ok())
        return responseError(*r, RequestInfo{"list", "referencegrants", kGatewayGroup, ns, "", context_});
    return std::move(r->body);
}

Result<std::vector<std::string>> Api::listVirtualServiceNames(const std::string& ns) {
    auto r = getServed(ns, "virtualservices", "");
    if (!r) return r.error();
    if (!r->ok())
        return responseError(*r, RequestInfo{"list", "virtualservices", kIstioGroup, ns, "", context_});
    auto names = itemNames(r->body);
    if (!names)
        return fail(fmt::format("the server answered the list of virtualservices in namespace \"{}\" with "
                                "something that is not a list",
                                ns),
                    kExitApi);
    std::sort(names->begin(), names->end());
    return std::move(*names);
}

Result<std::string> Api::listVirtualServices(const std::string& ns, const std::string& name) {
    // A query on the collection: getServed's version discovery applies to it as to the collection.
    auto r =
        getServed(ns, "virtualservices", "", name.empty() ? "" : "?fieldSelector=metadata.name%3D" + name);
    if (!r) return r.error();
    if (!r->ok())
        return responseError(*r, RequestInfo{"list", "virtualservices", kIstioGroup, ns, "", context_});
    return std::move(r->body);
}

Result<std::string> Api::listVirtualServicesPage(const std::string& ns, int limit,
                                                 const std::string& continueToken) {
    std::string query = fmt::format("?limit={}", limit);
    if (!continueToken.empty()) query += "&continue=" + queryValue(continueToken);
    auto r = getServed(ns, "virtualservices", "", query);
    if (!r) return r.error();
    if (r->status == 410 && !continueToken.empty())
        return fail(
            "the VirtualServices changed too much while they were listed in pages: the server no longer "
            "holds the version the first page was read at (410 Expired); run the command again",
            kExitApi);
    if (!r->ok())
        return responseError(*r, RequestInfo{"list", "virtualservices", kIstioGroup, ns, "", context_});
    return std::move(r->body);
}

Result<Response> Api::watchVirtualServices(const std::string& ns, const std::string& name,
                                           const std::string& resourceVersion, int timeoutSeconds,
                                           const std::function<void(std::string_view)>& onEvent,
                                           const std::function<bool()>& keepGoing) {
    std::string p = path(version_, ns, "virtualservices") +
                    fmt::format("?watch=true&allowWatchBookmarks=true&resourceVersion={}&timeoutSeconds={}",
                                resourceVersion, timeoutSeconds);
    if (!name.empty()) p += "&fieldSelector=metadata.name%3D" + name;
    return client_.stream(p, onEvent, keepGoing);
}

Error Api::watchError(const Response& r, const std::string& ns, const std::string& name) const {
    return responseError(r, RequestInfo{"watch", "virtualservices", kIstioGroup, ns, name, context_});
}

Result<std::string> Api::listDestinationRules(const std::string& ns) {
    auto r = getServed(ns, "destinationrules", "");
    if (!r) return r.error();
    if (!r->ok())
        return responseError(*r, RequestInfo{"list", "destinationrules", kIstioGroup, ns, "", context_});
    return std::move(r->body);
}

Result<std::string> Api::listServiceEntries(const std::string& ns) {
    RequestInfo info{"list", "serviceentries", kIstioGroup, ns, "", context_};
    // The VirtualService read found the served version; the same group serves ServiceEntries in it.
    auto r =
        version_.empty() ? getServed(ns, "serviceentries", "") : get(path(version_, ns, "serviceentries"));
    if (!r) return r.error();
    if (r->status == 404) return std::string(R"({"kind":"ServiceEntryList","items":[]})");
    if (!r->ok()) return responseError(*r, info);
    return std::move(r->body);
}

Result<std::string> Api::listServices(const std::string& ns) {
    auto r = get(fmt::format("/api/v1/namespaces/{}/services", ns));
    if (!r) return r.error();
    if (!r->ok()) return responseError(*r, RequestInfo{"list", "services", "", ns, "", context_});
    return std::move(r->body);
}

Result<Response> Api::listIstiodDeployments(const std::string& ns) {
    return get(fmt::format("/apis/apps/v1/namespaces/{}/deployments?labelSelector={}", ns,
                           queryValue("app=istiod")));
}

Result<std::vector<std::string>> Api::listNamespaces() {
    auto r = get("/api/v1/namespaces");
    if (!r) return r.error();
    if (!r->ok()) return responseError(*r, RequestInfo{"list", "namespaces", "", "", "", context_});
    auto names = itemNames(r->body);
    if (!names)
        return fail("the server answered the list of namespaces with something that is not a list", kExitApi);
    return std::move(*names);
}

// The PUT landed when the object now has a newer resourceVersion than the one sent, and the spec and
// annotations sent. A write that changes only annotations (a rollout's mark) is told apart from one
// that has not landed yet only by the version: a timed-out request can still land later.
std::optional<std::string> Api::landedObject(const RouteResource& kind, const std::string& version,
                                             const std::string& ns, const std::string& name,
                                             const std::string& sent) {
    auto r = client_.request("GET", pathIn(kind.group, version, ns, kind.resource, name));
    if (!r || !r->ok()) return std::nullopt;
    auto now = nlohmann::json::parse(r->body, nullptr, false);
    auto put = nlohmann::json::parse(sent, nullptr, false);
    if (!now.is_object() || !put.is_object()) return std::nullopt;
    auto meta = [](const nlohmann::json& o, const char* key) {
        auto m = o.find("metadata");
        if (m == o.end() || !m->is_object() || !m->contains(key)) return nlohmann::json();
        return (*m)[key];
    };
    bool newer = meta(now, "resourceVersion") != meta(put, "resourceVersion");
    bool same = now.value("spec", nlohmann::json()) == put.value("spec", nlohmann::json()) &&
                meta(now, "annotations") == meta(put, "annotations");
    if (!newer || !same) return std::nullopt;
    return std::move(r->body);
}

Result<Api::PutResult> Api::putVirtualService(const std::string& ns, const std::string& name,
                                              const std::string& version, const std::string& json,
                                              bool dryRun) {
    return putRoute(virtualServices(), ns, name, version, json, dryRun);
}

Result<Api::PutResult> Api::putRoute(const RouteResource& kind, const std::string& ns,
                                     const std::string& name, const std::string& version,
                                     const std::string& json, bool dryRun) {
    Put put{&kind, ns, name, version, json, dryRun};
    std::string p = putPath(put);
    return putAnswer(put, p, client_.request("PUT", p, json));
}

std::string Api::putPath(const Put& put) const {
    std::string p = pathIn(put.kind->group, put.version, put.ns, put.kind->resource, put.name) +
                    "?fieldManager=" + queryValue(fieldManager_);
    if (put.dryRun) p += "&dryRun=All";
    return p;
}

Result<Api::PutResult> Api::putAnswer(const Put& put, const std::string& p, Result<Response> r) {
    const RouteResource& kind = *put.kind;
    if (!r) {
        // The connection broke before the answer: the server may have applied it. One GET tells.
        if (put.dryRun) return r.error();
        if (auto landed = landedObject(kind, put.version, put.ns, put.name, put.json))
            return PutResult{false, true, std::move(*landed)};
        return r.error();
    }
    if (r->ok() && !nlohmann::json::accept(r->body)) {
        // The PUT was carried out, but its answer is unreadable: as for a lost answer, one GET tells.
        if (!put.dryRun)
            if (auto landed = landedObject(kind, put.version, put.ns, put.name, put.json))
                return PutResult{false, true, std::move(*landed)};
        Error e = garbled("PUT", p);
        if (!put.dryRun) {
            e.message += "; the server may have applied it: run again to see the current state";
            e.maybeApplied = true;
        }
        return e;
    }
    if (r->ok()) return PutResult{false, false, std::move(r->body)};
    if (r->status == 409) return PutResult{true, false, std::move(r->body)};
    return responseError(*r, RequestInfo{"update", kind.resource, kind.group, put.ns, put.name, context_});
}

}  // namespace shift::kube
