#include "get_list.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <string_view>

#include "doc/emit.hpp"
#include "doc/parse.hpp"
#include "report.hpp"
#include "stores/kube_store.hpp"

namespace shift::cli {

int listChunk() {
    const char* knob = std::getenv("SHIFT_TEST_LIST_CHUNK");
    int n = knob ? std::atoi(knob) : 0;
    return n > 0 ? n : kListChunk;
}

Status forEachListed(kube::Api& api, const std::string& ns, const GetOptions& o, int chunk,
                     const std::function<void(core::SplitReport&&)>& each) {
    std::string token;
    do {
        auto body = api.listVirtualServicesPage(ns, chunk, token);
        if (!body) return body.error();
        auto page = doc::parseJson(std::move(*body), "the server's VirtualService list");
        if (!page) return page.error();
        token.clear();
        if (!page->docs.empty())
            if (const auto* next = page->docs.front().at({"metadata", "continue"})) token = next->str();
        auto reports = reportsOfList(*page, o);
        if (!reports) return reports.error();
        for (auto& r : *reports) each(std::move(r));
    } while (!token.empty());
    return okStatus();
}

Result<core::SplitReport> namedReport(kube::Api& api, const std::string& ns, const core::ObjectRef& ref,
                                      const GetOptions& o) {
    auto object = api.getRoute(stores::routeResource(ref.kind), ns, ref.name);
    if (!object) return object.error();
    auto parsed =
        doc::parseJson(std::move(object->json), fmt::format("the server's {}", core::kindName(ref.kind)));
    if (!parsed) return parsed.error();
    if (parsed->docs.empty())
        return fail(fmt::format("the server answered with an empty {}", core::kindName(ref.kind)), kExitApi);
    return core::reportOf(parsed->docs.front(), o.routes);
}

namespace {

// The list as a whole would print: with one item, the text between the list's opening and its
// closing is exactly that item's, wherever it stands in a longer list (no emitter choice depends on
// an item's neighbours: indentation and folding depend only on the depth).
constexpr std::string_view kJsonHead = "{\n    \"kind\": \"SplitList\",\n    \"items\": [\n";
constexpr std::string_view kJsonTail = "\n    ]\n}";
constexpr std::string_view kYamlHead = "kind: SplitList\nitems:\n";

doc::Node listOf(const core::SplitReport& report) {
    doc::Node list = doc::Node::map();
    list.set("kind", doc::Node::string("SplitList"));
    doc::Node items = doc::Node::seq();
    items.items.push_back(core::toNode(report));
    list.set("items", std::move(items));
    return list;
}

}  // namespace

void SplitListWriter::add(const core::SplitReport& report) {
    if (output_ == app::Output::Json) {
        std::string whole = doc::toJson(listOf(report));
        std::string item = whole.substr(kJsonHead.size(), whole.size() - kJsonHead.size() - kJsonTail.size());
        emit(out_, (any_ ? ",\n" : std::string(kJsonHead)) + item);
    } else {
        std::string whole = doc::toYaml(listOf(report));
        emit(out_, any_ ? whole.substr(kYamlHead.size()) : whole);
    }
    any_ = true;
}

void SplitListWriter::finish() {
    if (!any_) {
        emit(out_, output_ == app::Output::Json ? doc::toJson(core::toListNode({})) + "\n"
                                                : doc::toYaml(core::toListNode({})));
        return;
    }
    if (output_ == app::Output::Json) emit(out_, std::string(kJsonTail) + "\n");
}

}  // namespace shift::cli
