#include "stores/file_store.hpp"

#include <fmt/format.h>

#include "core/apply.hpp"
#include "doc/emit.hpp"
#include "files/files.hpp"
#include "stores/mesh_inputs.hpp"

namespace shift::stores {

namespace {

// The indentation of a JSON file (its second line), so a rewrite keeps its layout:
// kubectl writes 4 spaces, many tools 2, a compact file none.
int jsonIndent(const std::string& source) {
    auto nl = source.find('\n');
    if (nl == std::string::npos || nl + 1 >= source.size()) return 0;
    auto spaces = source.find_first_not_of(' ', nl + 1);
    return spaces == std::string::npos ? 4 : static_cast<int>(spaces - nl - 1);
}

std::string renderDocs(const std::vector<doc::Node>& docs, doc::Format format, int indent = 4) {
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

FileStore::FileStore(FileStoreOptions options, app::Warn warn)
    : options_(std::move(options)), warn_(std::move(warn)) {}

std::string FileStore::label() const {
    const auto& path = inputs_.at(holder_).path;
    return path == "-" ? std::string("<stdin>") : path;
}

// Reads every manifest under -f and finds the one that defines the VirtualService.
Result<app::Snapshot> FileStore::read() {
    auto paths = options_.paths.empty() ? std::vector<std::string>{options_.path} : options_.paths;
    auto files = files::manifestFiles(paths, options_.recursive);
    if (!files) return files.error();
    inputs_.clear();
    std::vector<std::string> holders;
    Error lastMiss;
    for (const auto& path : *files) {
        auto text = files::readInput(path);
        if (!text) return text.error();
        auto name = path == "-" ? std::string("<stdin>") : path;
        auto stream = doc::parse(std::move(*text), name);
        if (!stream) return stream.error();
        auto at = core::findRoute(stream->docs, options_.kind, options_.name, options_.ns, name);
        if (at) {
            holders.push_back(name);
            holder_ = inputs_.size();
            at_ = *at;
        } else {
            lastMiss = at.error();
        }
        inputs_.push_back({path, std::move(*stream)});
    }
    if (holders.size() > 1) {
        return fail(fmt::format("{} \"{}\" is defined in {} files ({}); point -f at one of them",
                                core::kindName(options_.kind), options_.name, holders.size(),
                                fmt::join(holders, ", ")));
    }
    if (holders.empty()) {
        if (files->size() == 1) return lastMiss;
        return fail(fmt::format("no {} named \"{}\" in the {} manifests under {}; check the name or -f",
                                core::kindName(options_.kind), options_.name, files->size(),
                                files::pathsText(paths)));
    }
    const auto& holder = inputs_[holder_].stream;
    return app::Snapshot{&core::objectAt(holder.docs, at_), holder.source};
}

// New hosts are checked when the inputs hold Services or ServiceEntries (else a warning says they
// were not), subsets when they hold DestinationRules.
Result<std::optional<core::Mesh>> FileStore::mesh(const core::ShiftPlan&) {
    std::vector<const doc::Stream*> streams;
    for (const auto& in : inputs_) streams.push_back(&in.stream);
    return std::optional<core::Mesh>(meshFromFiles(streams));
}

// The new text: line edits on YAML keep everything else byte for byte. The merged tree is built
// only for what renders it (JSON, -o, a failed line edit): copying a large manifest costs more than
// planning it.
std::string FileStore::render(const core::ShiftPlan& plan) const {
    const auto& stream = inputs_[holder_].stream;
    const auto& object = core::objectAt(stream.docs, at_);
    auto renderMerged = [&](doc::Format format, int indent) {
        auto docs = stream.docs;
        core::objectAt(docs, at_) = core::applyToTree(object, plan.vs, plan.rules);
        return renderDocs(docs, format, indent);
    };
    if (options_.output != app::Output::None) {
        auto format = options_.output == app::Output::Json ? doc::Format::Json : doc::Format::Yaml;
        return plan.changed ? renderMerged(format, 4) : renderDocs(stream.docs, format);
    }
    if (!plan.changed) return stream.source;
    if (stream.format == doc::Format::Json) {
        auto edited = core::applyToJsonText(stream.source, object, at_, plan.vs, plan.rules);
        if (edited) return std::move(*edited);
        if (warn_) warn_("the JSON route cannot be edited in place safely; the file is re-rendered");
        return renderMerged(doc::Format::Json, jsonIndent(stream.source));
    }
    auto edited = core::applyToYamlText(stream.source, object, plan.vs, plan.rules);
    if (edited) return std::move(*edited);
    if (warn_) {
        warn_(
            "the route is written in flow style or with YAML anchors, aliases or merge keys, so it "
            "cannot be edited line by line; its document is re-rendered");
    }
    return core::rerenderYamlDocument(stream.source, stream.docs, at_,
                                      core::applyToTree(object, plan.vs, plan.rules));
}

Result<app::Change> FileStore::write(const app::Snapshot& read, const core::ShiftPlan& plan,
                                     app::DryRun dryRun) {
    std::string after = render(plan);
    const auto& path = inputs_[holder_].path;
    std::string status;  // said only when the file written is not the one named
    if (options_.inPlace && plan.changed && dryRun == app::DryRun::None) {
        if (path == "-") return fail("--in-place needs a file; -f - reads standard input");
        auto written = files::writeIfUnchanged(path, std::string(read.version), after);
        if (!written) return written.error();
        if (written->conflict) return app::Change{true, {}, {}, {}, {}, {}, {}};
        if (written->written != path)
            status = fmt::format("wrote {} (through the symlink {})", written->written, path);
    }
    // Both sides carry the path as given, so `patch -p0` applies the diff. The text read is handed
    // over, not copied (a write ends what was read: the next step is a read); the manifest printed
    // on stdout is `after` itself, not copied again into `printed`.
    auto name = label();
    return app::Change{false,
                       std::move(inputs_[holder_].stream.source),
                       std::move(after),
                       name,
                       name,
                       {},
                       std::move(status)};
}

std::string FileStore::conflictWarning(int next, int attempts) const {
    return fmt::format(
        "{} changed while shifting (another writer rewrote it); re-reading it and planning "
        "again (attempt {} of {})",
        label(), next, attempts);
}

Error FileStore::gaveUp(int attempts) const {
    return fail(fmt::format("{} kept changing while shifting: gave up after {} attempts, nothing written; "
                            "retry when other writers are done",
                            label(), attempts),
                kExitConflict);
}

}  // namespace shift::stores
