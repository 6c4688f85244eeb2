#include "stores/reach_inputs.hpp"

#include <fmt/format.h>

namespace shift::stores {

namespace {

std::string continueOf(const doc::Stream& list) {
    const auto* token = list.docs.empty() ? nullptr : list.docs.front().at({"metadata", "continue"});
    return token && token->isScalar() ? token->str() : std::string();
}

// Every page of the VirtualServices of ns ("" for every namespace) into lists: false (with why) when
// one could not be read, an Error when one was not JSON.
Result<bool> readPages(kube::Api& api, const std::string& ns, core::Mesh& mesh,
                       std::vector<doc::Stream>& lists, std::string& why) {
    std::string token;
    do {
        auto body = api.listVirtualServicesPage(ns, kReachPage, token);
        if (!body) {
            why = body.error().message;
            mesh.virtualServices.clear();
            return false;
        }
        auto parsed = doc::parseJson(std::move(*body), "VirtualService list");
        if (!parsed) return parsed.error();
        lists.push_back(std::move(*parsed));
        for (const auto* o : doc::objects(lists.back())) mesh.virtualServices.push_back(o);
        token = continueOf(lists.back());
    } while (!token.empty());
    return true;
}

std::string what(const core::VirtualService& vs) {
    if (vs.hosts.empty())
        return fmt::format("the parents of delegate VirtualService {}", core::qualifiedName(vs));
    return fmt::format("other VirtualServices for {}", fmt::join(vs.hosts, ", "));
}

}  // namespace

Status readReach(kube::Api& api, const core::VirtualService& vs, core::Mesh& mesh,
                 std::vector<doc::Stream>& lists, const app::Warn& warn) {
    if (vs.kind != core::RouteKind::VirtualService) return okStatus();
    std::string whyAll, whyOwn;
    // A delegate's parents may be in any namespace, and saying it has none must be true: every
    // namespace, for this rare case. Otherwise the namespace alone (reach_inputs.hpp says why).
    if (vs.hosts.empty()) {
        auto all = readPages(api, "", mesh, lists, whyAll);
        if (!all) return all.error();
        if (*all) {
            mesh.reach = core::Mesh::Check::Yes;
            return okStatus();
        }
    }
    auto own = readPages(api, vs.ns, mesh, lists, whyOwn);
    if (!own) return own.error();
    if (!*own) {
        if (warn)
            warn(fmt::format("{} not checked: VirtualServices could not be listed ({})", what(vs), whyOwn));
        return okStatus();
    }
    mesh.reach = core::Mesh::Check::Yes;
    if (warn && !whyAll.empty()) {
        warn(
            fmt::format("{} checked in namespace \"{}\" only: VirtualServices of every namespace could not "
                        "be listed ({})",
                        what(vs), vs.ns, whyAll));
    }
    return okStatus();
}

}  // namespace shift::stores
