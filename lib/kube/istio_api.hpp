#pragma once
// Istio networking objects over the Kubernetes API: VirtualService get/list/put, DestinationRules,
// ServiceEntries; and the namespaces and Services the cluster has.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "kube/client.hpp"

namespace shift::kube {

inline constexpr const char* kIstioGroup = "networking.istio.io";
inline constexpr const char* kGatewayGroup = "gateway.networking.k8s.io";

// A kind of route object shift writes: its API group, resource and kind, and the versions to try,
// newest first. Each group's served version is found once per run.
struct RouteResource {
    const char* group;
    const char* resource;  // "virtualservices"
    const char* kind;      // "VirtualService"
    std::vector<std::string> versions;
};
// networking.istio.io virtualservices: v1, v1beta1, v1alpha3.
const RouteResource& virtualServices();
// gateway.networking.k8s.io httproutes: v1 (Gateway API 1.0+), v1beta1.
const RouteResource& httpRoutes();

struct Object {
    std::string version;  // "v1", "v1beta1" or "v1alpha3", as served
    std::string json;     // body as returned
};

class Api {
   public:
    // contextName only words errors (a 401 names the context whose credentials failed).
    explicit Api(Client& client, std::string contextName = {});

    // Tries v1, then v1beta1 (Istio 1.8's preferred), then v1alpha3: a 404 that is not a Status is an
    // unserved version. The served version is remembered for the rest of the run, so a current
    // cluster costs one GET. A 404 Status is "not found", with the names there when few.
    Result<Object> getVirtualService(const std::string& ns, const std::string& name);
    Result<std::vector<std::string>> listVirtualServiceNames(const std::string& ns);
    // One LIST of the VirtualServices in ns, or in every namespace when ns is "": the JSON list body.
    // With a name, only that one (fieldSelector=metadata.name=NAME): a list of one or none.
    Result<std::string> listVirtualServices(const std::string& ns, const std::string& name = {});
    // One page of that LIST, as kubectl reads lists in chunks: at most limit items, from the continue
    // token of the page before ("" for the first page; a later page is read at the first page's
    // resourceVersion, which the token carries). The JSON list body; its metadata.continue is the next
    // page's token, "" after the last. A 410 on a continue token (the server compacted that
    // resourceVersion away) is an Error that says so, as kubectl get fails.
    Result<std::string> listVirtualServicesPage(const std::string& ns, int limit,
                                                const std::string& continueToken);

    // A watch of what a listVirtualServices(ns, name) holds, from resourceVersion, with bookmarks:
    // each event line to onEvent until the server ends the stream after timeoutSeconds, or keepGoing
    // says stop. The answer as received (a 410: the resourceVersion is too old); an Error when the
    // connection failed. The served version must be known: list first.
    Result<Response> watchVirtualServices(const std::string& ns, const std::string& name,
                                          const std::string& resourceVersion, int timeoutSeconds,
                                          const std::function<void(std::string_view)>& onEvent,
                                          const std::function<bool()>& keepGoing);
    // The one-line error for a watch's non-2xx answer.
    Error watchError(const Response& r, const std::string& ns, const std::string& name) const;
    // The JSON list body; a 403/404 is an Error the caller may turn into a warning.
    Result<std::string> listDestinationRules(const std::string& ns);
    // The JSON list body of the ServiceEntries in ns. A 404 (a cluster without the ServiceEntry kind)
    // is an empty list: there are none.
    Result<std::string> listServiceEntries(const std::string& ns);
    // GET /api/v1/namespaces/NS/services: the JSON list body.
    Result<std::string> listServices(const std::string& ns);
    // Make-before-break's reads (workload_api.cpp), only when a change starts sending traffic somewhere:
    // GET /api/v1/namespaces/NS/pods?labelSelector=SEL and
    // GET /apis/discovery.k8s.io/v1/namespaces/NS/endpointslices?labelSelector=SEL, the JSON list
    // bodies; a 403 (RBAC) is an Error the caller turns into a warning.
    Result<std::string> listPods(const std::string& ns, const std::string& labelSelector);
    Result<std::string> listEndpointSlices(const std::string& ns, const std::string& labelSelector);
    // GET /api/v1/namespaces: the names, in the order the server lists them.
    Result<std::vector<std::string>> listNamespaces();

    struct PutResult {
        bool conflict = false;   // 409: the object changed since it was read
        bool recovered = false;  // the answer was lost, but a re-read shows the change in place
        std::string json;
    };
    // PUT ...?fieldManager=MANAGER[&dryRun=All]; json carries metadata.resourceVersion as read.
    Result<PutResult> putVirtualService(const std::string& ns, const std::string& name,
                                        const std::string& version, const std::string& json, bool dryRun);

    // The same for any route kind (virtualServices(), httpRoutes()): the served version of its group
    // is found once, as for VirtualServices.
    Result<Object> getRoute(const RouteResource& kind, const std::string& ns, const std::string& name);
    Result<std::string> listRoutes(const RouteResource& kind, const std::string& ns,
                                   const std::string& name = {});
    // One LIST of the routes of `kind` in ns matching labelSelector (kubectl's syntax, as given to -l): the
    // JSON list body. A group the cluster does not serve is an empty list when absentIsEmpty (no HTTPRoute
    // can match where the Gateway API is not installed), else the error that says so.
    Result<std::string> listRoutesLabeled(const RouteResource& kind, const std::string& ns,
                                          const std::string& labelSelector, bool absentIsEmpty);
    Result<PutResult> putRoute(const RouteResource& kind, const std::string& ns, const std::string& name,
                               const std::string& version, const std::string& json, bool dryRun);
    // One PUT of putRoutes: putRoute's arguments.
    struct Put {
        const RouteResource* kind = nullptr;
        std::string ns, name, version, json;
        bool dryRun = false;
    };
    using PutAnswers = std::vector<std::optional<Result<PutResult>>>;
    // Several PUTs together (Client::requestMany: at once over HTTP/2), each answered as putRoute
    // answers it. Sent one after another (HTTP/1.1) with stopped given, they stop after the first that
    // fails (a 409 is an answer, not a failure) or once stopped() says so: nullopt for each PUT never
    // sent. Without stopped, every PUT is sent.
    PutAnswers putRoutes(const std::vector<Put>& puts, const std::function<bool()>& stopped);
    // gateway.networking.k8s.io/v1beta1 ReferenceGrants in ns: the JSON list body; a 404 (no such
    // kind served) is an empty list, a 403 an Error the caller turns into a warning.
    Result<std::string> listReferenceGrants(const std::string& ns);

    // GET /apis/apps/v1/namespaces/NS/deployments?labelSelector=app=istiod: the answer as received, so the
    // caller can tell a 403 (RBAC) or 404 from a list. Read only to learn the Istio version.
    Result<Response> listIstiodDeployments(const std::string& ns);

    // The field manager the server records for shift's writes (kubectl's --field-manager).
    void setFieldManager(std::string manager) { fieldManager_ = std::move(manager); }

    // The version found to be served, "" before the first successful call.
    const std::string& servedVersion() const { return version_; }

   private:
    Result<Response> get(const std::string& path);
    // query ("?fieldSelector=...") follows the path.
    Result<Response> getServed(const std::string& ns, const std::string& resource, const std::string& name,
                               const std::string& query = {});
    // getServed for a resource of kind's group, with that group's versions.
    // The first served version's answer (remembering the version), nullopt when none is served.
    Result<std::optional<Response>> findServed(const RouteResource& kind, const std::string& resource,
                                               const std::string& ns, const std::string& name,
                                               const std::string& query);
    Result<Response> getServedIn(const RouteResource& kind, const std::string& resource,
                                 const std::string& ns, const std::string& name,
                                 const std::string& query = {});
    std::string putPath(const Put& put) const;
    // What a PUT's answer (or failure) means: a lost or garbled answer is checked with one GET.
    Result<PutResult> putAnswer(const Put& put, const std::string& path, Result<Response> r);
    Error noIstio();
    Error noGroup(const RouteResource& kind);
    std::string& versionOf(const RouteResource& kind);
    std::optional<std::string> landedObject(const RouteResource& kind, const std::string& version,
                                            const std::string& ns, const std::string& name,
                                            const std::string& sent);
    // ns "" is the cluster-wide collection (/apis/GROUP/VERSION/RESOURCE).
    std::string path(const std::string& version, const std::string& ns, const std::string& resource,
                     const std::string& name = {}) const;
    std::string pathIn(const char* group, const std::string& version, const std::string& ns,
                       const std::string& resource, const std::string& name = {}) const;

    Client& client_;
    std::string context_;
    std::string version_;
    std::string gatewayVersion_;  // gateway.networking.k8s.io's, "" until found
    std::string fieldManager_ = "shift";
};

}  // namespace shift::kube
