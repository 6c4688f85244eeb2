// YAML through yaml-cpp's event parser: building doc::Node straight from the events
// skips yaml-cpp's own node graph, which is several times slower on large files.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <memory>
#include <streambuf>
#include <unordered_set>

#include "doc/parse.hpp"

namespace shift::doc {
namespace {

// Reads the caller's string in place instead of copying it into a stringstream.
class ViewBuf : public std::streambuf {
public:
    ViewBuf(const std::string& s) {
        char* p = const_cast<char*>(s.data());
        setg(p, p, p + s.size());
    }
};

Mark toMark(const YAML::Mark& m) { return Mark{m.line, m.column, static_cast<std::size_t>(m.pos)}; }

class Builder : public YAML::EventHandler {
public:
    std::vector<Node> docs;

    void OnDocumentStart(const YAML::Mark&) override {
        stack_.clear();
        root_ = Node{};
        haveRoot_ = false;
    }
    void OnDocumentEnd() override {
        // An empty document (or a lone null) holds no object; kubectl skips it too.
        if (haveRoot_ && !root_.isNull()) docs.push_back(std::move(root_));
    }

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        Node n;
        n.mark = toMark(mark);
        add(std::move(n), anchor);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (anchor >= anchors_.size() || !anchors_[anchor]) throw YAML::ParserException(mark, "unknown alias");
        Node n = *anchors_[anchor];
        n.mark = toMark(mark);
        add(std::move(n), 0);
    }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        Node n;
        n.kind = Kind::Scalar;
        n.scalar = value;
        // yaml-cpp tags a plain scalar "?" and a quoted or block scalar "!".
        n.quoted = tag != "?" && tag.find("int") == std::string::npos && tag.find("float") == std::string::npos &&
                   tag.find("bool") == std::string::npos && tag.find("null") == std::string::npos;
        n.mark = toMark(mark);
        add(std::move(n), anchor);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value style) override {
        open(Node::seq(), mark, anchor, style);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value style) override {
        open(Node::map(), mark, anchor, style);
    }
    void OnMapEnd() override {
        if (stack_.back().haveKey) throw YAML::ParserException(stack_.back().keyMark, "map key without a value");
        close();
    }

private:
    struct Frame {
        Node node;
        YAML::anchor_t anchor = 0;
        bool haveKey = false;  // Map: keys.back() waits for its value
        YAML::Mark keyMark;
        std::unique_ptr<std::unordered_set<std::string>> seen;  // Map: keys, once the map is large
    };

    void open(Node n, const YAML::Mark& mark, YAML::anchor_t anchor, YAML::EmitterStyle::value style) {
        n.mark = toMark(mark);
        n.flow = style == YAML::EmitterStyle::Flow;
        stack_.push_back(Frame{std::move(n), anchor, false, {}, nullptr});
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        add(std::move(f.node), f.anchor);
    }

    void add(Node n, YAML::anchor_t anchor) {
        if (anchor) {
            if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
            anchors_[anchor] = std::make_unique<Node>(n);
        }
        if (stack_.empty()) {
            root_ = std::move(n);
            haveRoot_ = true;
            return;
        }
        Frame& f = stack_.back();
        if (f.node.isSeq()) {
            f.node.items.push_back(std::move(n));
        } else if (!f.haveKey) {
            addKey(f, std::move(n));
        } else {
            f.node.items.push_back(std::move(n));
            f.haveKey = false;
        }
    }

    void addKey(Frame& f, Node key) {
        YAML::Mark mark;
        mark.pos = static_cast<int>(key.mark.pos);
        mark.line = key.mark.line;
        mark.column = key.mark.column;
        if (key.isMap() || key.isSeq()) throw YAML::ParserException(mark, "a map key must be a string");
        // A null key reads as "null", as it does when Kubernetes turns YAML into JSON.
        std::string text = key.isNull() ? std::string("null") : std::move(key.scalar);
        if (duplicate(f, text)) throw YAML::ParserException(mark, "duplicate key \"" + text + "\"");
        f.node.keys.push_back(std::move(text));
        f.node.keyMarks.push_back(key.mark);
        f.haveKey = true;
        f.keyMark = mark;
    }

    // Linear search for the usual small map; a hash set once a map grows.
    static bool duplicate(Frame& f, const std::string& key) {
        constexpr std::size_t kSmall = 16;
        const auto& keys = f.node.keys;
        if (!f.seen && keys.size() < kSmall) {
            for (const std::string& k : keys) {
                if (k == key) return true;
            }
            return false;
        }
        if (!f.seen) f.seen = std::make_unique<std::unordered_set<std::string>>(keys.begin(), keys.end());
        return !f.seen->insert(key).second;
    }

    std::vector<Frame> stack_;
    Node root_;
    bool haveRoot_ = false;
    std::vector<std::unique_ptr<Node>> anchors_;
};

}  // namespace

Result<Stream> parseYaml(std::string text, std::string_view name) {
    Stream out;
    out.format = Format::Yaml;
    out.source = std::move(text);
    ViewBuf buf(out.source);
    std::istream in(&buf);
    Builder builder;
    try {
        YAML::Parser parser(in);
        while (parser.HandleNextDocument(builder)) {
        }
    } catch (const YAML::Exception& e) {
        return syntaxError(name, "YAML", e.mark.line + 1, e.mark.column + 1, e.msg);
    }
    out.docs = std::move(builder.docs);
    return out;
}

}  // namespace shift::doc
