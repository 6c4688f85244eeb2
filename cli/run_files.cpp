// File mode: -f FILE|DIR|-. Reads manifests, shifts one VirtualService, and
// prints the result, a diff, or rewrites the file in place.
#include <fmt/format.h>

#include "core/apply.hpp"
#include "core/locate.hpp"
#include "core/request.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"
#include "files/files.hpp"
#include "options.hpp"
#include "report.hpp"
#include "term/diff.hpp"
#include "validation_inputs.hpp"

namespace shift::cli {

namespace {

struct Input {
    std::string path;
    doc::Stream stream;
};

// Reads every manifest under -f and returns the one that defines the
// VirtualService; the Services, ServiceEntries and DestinationRules anywhere in them are
// what its new destinations are checked against.
struct Found {
    std::vector<Input> inputs;
    std::size_t input = 0;
    core::Location at;
};

Result<Found> load(const Options& o) {
    auto files = files::manifestFiles(o.filename, o.recursive);
    if (!files) return files.error();
    Found found;
    std::vector<std::string> holders;
    Error lastMiss;
    for (const auto& path : *files) {
        auto text = files::readInput(path);
        if (!text) return text.error();
        auto label = path == "-" ? std::string("<stdin>") : path;
        auto stream = doc::parse(std::move(*text), label);
        if (!stream) return stream.error();
        auto at = core::findVirtualService(stream->docs, o.name, o.cluster.ns, label);
        if (at) {
            holders.push_back(label);
            found.input = found.inputs.size();
            found.at = *at;
        } else {
            lastMiss = at.error();
        }
        found.inputs.push_back({path, std::move(*stream)});
    }
    if (holders.size() > 1) {
        return fail(fmt::format("VirtualService \"{}\" is defined in {} files ({}); point -f at one of them",
                                o.name, holders.size(), fmt::join(holders, ", ")));
    }
    if (holders.empty()) {
        if (files->size() == 1) return lastMiss;
        return fail(
            fmt::format("no VirtualService named \"{}\" in the {} manifests under {}; check the name or -f",
                        o.name, files->size(), o.filename));
    }
    return found;
}

// The indentation of a JSON file (its second line), so a rewrite keeps its layout:
// kubectl writes 4 spaces, many tools 2, a compact file none.
int jsonIndent(const std::string& source) {
    auto nl = source.find('\n');
    if (nl == std::string::npos || nl + 1 >= source.size()) return 0;
    auto spaces = source.find_first_not_of(' ', nl + 1);
    return spaces == std::string::npos ? 4 : static_cast<int>(spaces - nl - 1);
}

std::string render(const std::vector<doc::Node>& docs, doc::Format format, int indent = 4) {
    if (format == doc::Format::Yaml) return doc::toYamlStream(docs);
    if (docs.size() == 1) return doc::toJson(docs[0], indent) + "\n";
    doc::Node list = doc::Node::map();
    list.set("apiVersion", doc::Node::string("v1"));
    list.set("kind", doc::Node::string("List"));
    doc::Node items = doc::Node::seq();
    items.items = docs;
    list.set("items", std::move(items));
    return doc::toJson(list) + "\n";
}

}  // namespace

int runFiles(const Options& o) {
    auto request = core::parseRequest(o.weights);
    if (!request) return report(request.error());
    auto found = load(o);
    if (!found) return report(found.error());
    const Input& input = found->inputs[found->input];
    const auto& object = core::objectAt(input.stream.docs, found->at);

    std::vector<const doc::Stream*> streams;
    for (const auto& in : found->inputs) streams.push_back(&in.stream);
    auto mesh = meshFromFiles(streams);
    auto plan = core::planShift(object, *request, o.shift, o.noValidate ? nullptr : &mesh);
    if (!plan) return report(plan.error());
    for (const auto& w : plan->warnings) warn(w);

    // The new text: line edits on YAML keep everything else byte for byte. The
    // merged tree is built only for what renders it (JSON, -o, a failed line edit):
    // copying a large manifest costs more than planning it.
    auto renderMerged = [&](doc::Format format, int indent) {
        auto docs = input.stream.docs;
        core::objectAt(docs, found->at) = core::applyToTree(object, plan->vs, plan->rules);
        return render(docs, format, indent);
    };
    std::string after;
    if (!o.output.empty()) {
        auto format = o.output == "json" ? doc::Format::Json : doc::Format::Yaml;
        after = plan->changed ? renderMerged(format, 4) : render(input.stream.docs, format);
    } else if (!plan->changed) {
        after = input.stream.source;
    } else if (input.stream.format == doc::Format::Yaml) {
        auto edited = core::applyToYamlText(input.stream.source, object, plan->vs, plan->rules);
        if (!edited) {
            warn(
                "the route is written in flow style or with YAML anchors, aliases or merge keys, so it "
                "cannot be edited line by line; its document is re-rendered");
        }
        after = edited ? std::move(*edited)
                       : core::rerenderYamlDocument(input.stream.source, input.stream.docs, found->at,
                                                    core::applyToTree(object, plan->vs, plan->rules));
    } else {
        auto edited = core::applyToJsonText(input.stream.source, object, found->at, plan->vs, plan->rules);
        if (!edited) warn("the JSON route cannot be edited in place safely; the file is re-rendered");
        after =
            edited ? std::move(*edited) : renderMerged(doc::Format::Json, jsonIndent(input.stream.source));
    }

    bool manifestOnStdout = !o.output.empty() || (!o.inPlace && !o.diff && o.dryRun == "none");
    std::FILE* info = manifestOnStdout ? stderr : stdout;
    bool color = term::useColor(o.color, fileno(info));
    if (o.diff || o.dryRun != "none") {
        auto label = input.path == "-" ? std::string("<stdin>") : input.path;
        // Both sides carry the path as given, so `patch -p0` applies the diff.
        emit(stdout, term::unifiedDiff(input.stream.source, after, label, label,
                                       term::useColor(o.color, fileno(stdout))));
    }
    emit(info, summaryText(*plan, term::isTerminal(fileno(info)), color));
    if (!plan->changed) emit(info, fmt::format("{}: no change\n", core::qualifiedName(plan->vs)));

    if (o.inPlace && plan->changed && o.dryRun == "none") {
        if (input.path == "-") return report(fail("--in-place needs a file; -f - reads standard input"));
        auto wrote = files::writeIfUnchanged(input.path, input.stream.source, after);
        if (!wrote) return report(wrote.error());
        if (wrote->conflict) {
            return report(
                fail(fmt::format("{} changed while shifting; nothing written; run again", input.path),
                     kExitConflict));
        }
        if (wrote->written != input.path) {
            emit(stderr, fmt::format("wrote {} (through the symlink {})\n", wrote->written, input.path));
        }
    } else if (manifestOnStdout) {
        emit(stdout, after);
    }
    return o.exitCode && plan->changed ? kExitChanged : kExitOk;
}

}  // namespace shift::cli
