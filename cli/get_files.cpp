// `shift get -f`: the splits of the VirtualServices and HTTPRoutes in manifest files, as the cluster's are
// shown.
#include <fmt/format.h>

#include "cmd_get.hpp"
#include "core/object_ref.hpp"
#include "core/split_report.hpp"
#include "doc/parse.hpp"
#include "files/files.hpp"

namespace shift::cli {

namespace {

// Without NAME every route of both kinds; with it, the one of its kind (a bare NAME: a VirtualService).
bool isRoute(const doc::Node& object, const std::optional<core::ObjectRef>& target) {
    const auto* kind = object.at({"kind"});
    if (!kind) return false;
    if (target) return kind->str() == core::kindName(target->kind);
    return kind->str() == "VirtualService" || kind->str() == "HTTPRoute";
}

}  // namespace

// Every VirtualService of the files in order, or the one named NAME. With --route and no NAME, one
// without the rule is left out, as in the cluster's lists.
Result<std::vector<core::SplitReport>> fileReports(const GetOptions& o) {
    std::optional<core::ObjectRef> target;
    if (!o.name.empty()) {
        auto ref = core::parseObjectRef(o.name);
        if (!ref) return ref.error();
        target = std::move(*ref);
    }
    auto files = files::manifestFiles(o.filenames, o.recursive);
    if (!files) return files.error();
    std::vector<core::SplitReport> reports;
    for (const auto& path : *files) {
        auto text = files::readInput(path);
        if (!text) return text.error();
        auto stream = doc::parse(std::move(*text), path == "-" ? std::string("<stdin>") : path);
        if (!stream) return stream.error();
        for (const auto* object : doc::objects(*stream)) {
            if (!isRoute(*object, target)) continue;
            const auto* name = object->at({"metadata", "name"});
            if (target && (!name || name->str() != target->name)) continue;
            auto r = core::reportOf(*object, o.routes);
            if (r) {
                reports.push_back(std::move(*r));
            } else if (!o.name.empty() || o.routes.empty()) {
                return r.error();
            }
        }
    }
    if (target && reports.empty())
        return fail(fmt::format("no {} named \"{}\" in {}; check the name or -f",
                                core::kindName(target->kind), target->name, files::pathsText(o.filenames)));
    if (reports.size() > 1 && target)
        return fail(fmt::format("{} \"{}\" is defined {} times in {}; point -f at one of them",
                                core::kindName(target->kind), target->name, reports.size(),
                                files::pathsText(o.filenames)));
    return reports;
}

}  // namespace shift::cli
