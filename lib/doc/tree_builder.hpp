#pragma once
// Builds doc::Node trees from a YAML parser's events: keeps marks, resolves
// aliases and merge keys (<<, as kubectl's YAML reader does), rejects duplicate
// keys (or lets the last one win, as client-go does for kubeconfigs). Untrusted input cannot make
// it allocate without bound: alias expansion and nesting depth are limited as in go-yaml, whose
// limits kubectl inherits.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "doc/node.hpp"

namespace shift::doc::detail {

struct BuildError {
    Mark mark;
    std::string what;
};

// go-yaml's nesting limit ("exceeded max depth of 10000"); deeper input would also overflow the
// stack of every recursive walk over the tree.
inline constexpr std::size_t kMaxDepth = 10000;

// go-yaml's alias rule (decode.go, allowedAliasRatio; CVE-2019-11254): of the nodes a document
// decodes to, up to 99% may come from alias expansion while it stays under 400,000 nodes, falling
// linearly to 10% at 4,000,000; checked once more than 100 aliased and 1,000 nodes are decoded.
inline bool excessiveAliasing(std::size_t decoded, std::size_t aliased) {
    constexpr double low = 400000, high = 4000000;
    if (aliased <= 100 || decoded <= 1000) return false;
    const double d = double(decoded);
    const double allowed = d <= low ? 0.99 : d >= high ? 0.10 : 0.99 - 0.89 * ((d - low) / (high - low));
    return double(aliased) / d > allowed;
}

class TreeBuilder {
   public:
    explicit TreeBuilder(bool lastKeyWins = false) : lastKeyWins_(lastKeyWins) {}

    std::vector<Node> docs;

    void startDocument() {
        stack_.clear();
        root_ = Node{};
        haveRoot_ = false;
        decoded_ = aliased_ = 0;
    }
    void endDocument() {
        // An empty document (or a lone null) holds no object; kubectl skips it too.
        // A plain scalar that reads as null (`!tag` with no value, `~`) is a null document too.
        bool null = root_.isNull() ||
                    (root_.isScalar() && !root_.quoted && resolvePlain(root_.scalar) == ScalarType::Null);
        if (haveRoot_ && !null) docs.push_back(std::move(root_));
    }
    void value(Node n, const std::string& anchor) {
        count(1, 0);
        add(std::move(n), anchor, 1);
    }
    void alias(const std::string& anchor, Mark mark, Mark endMark) {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end()) throw BuildError{mark, "unknown anchor \"" + anchor + "\" referenced"};
        // Counted before the copy: the copy is what a billion-laughs document makes explode.
        const std::size_t before = decoded_;
        count(1 + it->second.size, it->second.size);
        Node n = it->second.node;
        n.mark = mark;
        n.end = endMark;
        n.shared = true;
        add(std::move(n), {}, decoded_ - before);
    }
    void start(Node n, std::string anchor) {
        if (stack_.size() >= kMaxDepth)
            throw BuildError{n.mark, "nesting exceeds the maximum depth of " + std::to_string(kMaxDepth)};
        const std::size_t before = decoded_;
        count(1, 0);
        stack_.push_back(Frame{std::move(n), std::move(anchor), before, false, {}, {}});
    }
    // `endMark`: where the parser saw the collection end. A flow collection ends at its `]` or `}`;
    // a block one at its last value (the parser's mark is the next token, past any comments).
    void end(Mark endMark) {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        f.node.end = endMark;
        if (!f.node.flow && !f.node.items.empty()) {
            f.node.end = f.node.items.front().end;
            for (const Node& item : f.node.items) {
                if (item.end.known() && (!f.node.end.known() || item.end.pos > f.node.end.pos))
                    f.node.end = item.end;
            }
        }
        if (f.merge) merge(f.node, *f.merge);
        add(std::move(f.node), f.anchor, decoded_ - f.decodedBefore);
    }

   private:
    struct Frame {
        Node node;
        std::string anchor;
        std::size_t decodedBefore;                              // decoded_ when the node started
        bool haveKey = false;                                   // Map: keys.back() waits for its value
        std::optional<std::size_t> merge;                       // Map: index of its plain `<<` key
        std::unique_ptr<std::unordered_set<std::string>> seen;  // Map: keys, once the map is large
    };

    struct Anchored {
        Node node;
        std::size_t size;  // nodes it decodes to, its own aliases expanded
    };

    void count(std::size_t decoded, std::size_t aliased) {
        decoded_ += decoded;
        aliased_ += aliased;
        if (excessiveAliasing(decoded_, aliased_))
            throw BuildError{Mark{}, "document contains excessive aliasing"};
    }

    void add(Node n, const std::string& anchor, std::size_t size) {
        if (!anchor.empty()) {
            n.shared = true;
            anchors_[anchor] = Anchored{n, size};
        }
        if (stack_.empty()) {
            root_ = std::move(n);
            haveRoot_ = true;
            return;
        }
        Frame& f = stack_.back();
        if (f.node.isSeq() || f.haveKey) {
            f.node.items.push_back(std::move(n));
            f.haveKey = false;
        } else {
            addKey(f, std::move(n));
        }
    }

    void addKey(Frame& f, Node key) {
        if (key.isMap() || key.isSeq()) throw BuildError{key.mark, "a map key must be a string"};
        // A null key reads as "null", as it does when Kubernetes turns YAML into JSON.
        std::string text = key.isNull() ? std::string("null") : std::move(key.scalar);
        bool mergeKey = text == "<<" && !key.quoted;
        if (duplicate(f, text)) {
            if (!lastKeyWins_) throw BuildError{key.mark, "duplicate key \"" + text + "\""};
            auto at = std::find(f.node.keys.begin(), f.node.keys.end(), text) - f.node.keys.begin();
            f.node.keys.erase(f.node.keys.begin() + at);
            f.node.items.erase(f.node.items.begin() + at);
            f.node.keyMarks.erase(f.node.keyMarks.begin() + at);
        }
        if (mergeKey) f.merge = f.node.keys.size();
        f.node.keys.push_back(std::move(text));
        f.node.keyMarks.push_back(key.mark);
        f.haveKey = true;
    }

    // YAML's merge key: `<<: *base` (or a list of them, the first one winning) adds the keys of
    // the merged maps that the map does not set itself, in place of the `<<` key.
    static void merge(Node& map, std::size_t at) {
        Node value = std::move(map.items[at]);
        Mark keyMark = map.keyMarks[at];
        map.keys.erase(map.keys.begin() + at);
        map.items.erase(map.items.begin() + at);
        map.keyMarks.erase(map.keyMarks.begin() + at);
        const BuildError invalid{keyMark, "a merge key (<<) takes a map or a list of maps"};
        std::vector<const Node*> sources;
        if (value.isMap()) {
            sources.push_back(&value);
        } else if (value.isSeq()) {
            for (const Node& item : value.items) {
                if (!item.isMap()) throw invalid;
                sources.push_back(&item);
            }
        } else {
            throw invalid;
        }
        for (const Node* source : sources) {
            for (std::size_t i = 0; i < source->keys.size(); ++i) {
                const std::string& key = source->keys[i];
                if (std::find(map.keys.begin(), map.keys.end(), key) != map.keys.end()) continue;
                map.keys.insert(map.keys.begin() + at, key);
                map.items.insert(map.items.begin() + at, source->items[i]);
                map.keyMarks.insert(map.keyMarks.begin() + at, source->keyMarks[i]);
                ++at;
            }
        }
        map.shared = true;
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

    bool lastKeyWins_;
    std::vector<Frame> stack_;
    Node root_;
    bool haveRoot_ = false;
    std::unordered_map<std::string, Anchored> anchors_;
    std::size_t decoded_ = 0, aliased_ = 0;  // this document's nodes, and those from aliases
};

}  // namespace shift::doc::detail
