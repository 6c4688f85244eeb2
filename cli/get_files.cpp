// `shift get -f`: the splits of the VirtualServices in manifest files, as the cluster's are shown.
#include <fmt/format.h>

#include "cmd_get.hpp"
#include "core/split_report.hpp"
#include "doc/parse.hpp"
#include "files/files.hpp"

namespace shift::cli {

namespace {

bool isVirtualService(const doc::Node& object) {
    const auto* kind = object.at({"kind"});
    return kind && kind->str() == "VirtualService";
}

}  // namespace

// Every VirtualService of the files in order, or the one named NAME. With --route and no NAME, one
// without the rule is left out, as in the cluster's lists.
Result<std::vector<core::SplitReport>> fileReports(const GetOptions& o) {
    auto files = files::manifestFiles(o.filename, o.recursive);
    if (!files) return files.error();
    std::vector<core::SplitReport> reports;
    for (const auto& path : *files) {
        auto text = files::readInput(path);
        if (!text) return text.error();
        auto stream = doc::parse(std::move(*text), path == "-" ? std::string("<stdin>") : path);
        if (!stream) return stream.error();
        for (const auto* object : doc::objects(*stream)) {
            if (!isVirtualService(*object)) continue;
            const auto* name = object->at({"metadata", "name"});
            if (!o.name.empty() && (!name || name->str() != o.name)) continue;
            auto r = core::reportOf(*object, o.routes);
            if (r) {
                reports.push_back(std::move(*r));
            } else if (!o.name.empty() || o.routes.empty()) {
                return r.error();
            }
        }
    }
    if (!o.name.empty() && reports.empty())
        return fail(
            fmt::format("no VirtualService named \"{}\" in {}; check the name or -f", o.name, o.filename));
    if (reports.size() > 1 && !o.name.empty())
        return fail(fmt::format("VirtualService \"{}\" is defined {} times in {}; point -f at one of them",
                                o.name, reports.size(), o.filename));
    return reports;
}

}  // namespace shift::cli
