// YAML through yaml-cpp's event parser, used until the build links libyaml (see
// yaml_read_libyaml.cpp): it reads the same trees but is about 6x slower.
#ifndef SHIFT_HAVE_LIBYAML
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <streambuf>

#include "doc/parse.hpp"
#include "doc/tree_builder.hpp"

namespace shift::doc {
namespace {

// Reads the caller's string in place instead of copying it into a stringstream.
class ViewBuf : public std::streambuf {
public:
    explicit ViewBuf(const std::string& s) {
        char* p = const_cast<char*>(s.data());
        setg(p, p, p + s.size());
    }
};

Mark toMark(const YAML::Mark& m) { return Mark{m.line, m.column, static_cast<std::size_t>(m.pos)}; }
std::string anchorName(YAML::anchor_t a) { return a ? std::to_string(a) : std::string(); }

class Handler : public YAML::EventHandler {
public:
    detail::TreeBuilder tree;

    void OnDocumentStart(const YAML::Mark&) override { tree.startDocument(); }
    void OnDocumentEnd() override { tree.endDocument(); }
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        Node n;
        n.mark = toMark(mark);
        tree.value(std::move(n), anchorName(anchor));
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        tree.alias(anchorName(anchor), toMark(mark));
    }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        Node n = Node::plain(value);
        // yaml-cpp tags a plain scalar "?" and a quoted or block scalar "!".
        n.quoted = tag != "?" && tag.find("int") == std::string::npos && tag.find("float") == std::string::npos &&
                   tag.find("bool") == std::string::npos && tag.find("null") == std::string::npos;
        n.mark = toMark(mark);
        tree.value(std::move(n), anchorName(anchor));
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value style) override {
        start(Node::seq(), mark, anchor, style);
    }
    void OnSequenceEnd() override { tree.end(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value style) override {
        start(Node::map(), mark, anchor, style);
    }
    void OnMapEnd() override { tree.end(); }

private:
    void start(Node n, const YAML::Mark& mark, YAML::anchor_t anchor, YAML::EmitterStyle::value style) {
        n.mark = toMark(mark);
        n.flow = style == YAML::EmitterStyle::Flow;
        tree.start(std::move(n), anchorName(anchor));
    }
};

}  // namespace

Result<Stream> parseYaml(std::string text, std::string_view name) {
    Stream out;
    out.format = Format::Yaml;
    out.source = std::move(text);
    ViewBuf buf(out.source);
    std::istream in(&buf);
    Handler handler;
    try {
        YAML::Parser parser(in);
        while (parser.HandleNextDocument(handler)) {
        }
    } catch (const YAML::Exception& e) {
        return syntaxError(name, "YAML", e.mark.line + 1, e.mark.column + 1, e.msg);
    } catch (const detail::BuildError& e) {
        return syntaxError(name, "YAML", e.mark.line + 1, e.mark.column + 1, e.what);
    }
    out.docs = std::move(handler.tree.docs);
    return out;
}

}  // namespace shift::doc
#endif
