#pragma once
// Builds doc::Node trees from a YAML parser's events: keeps marks, resolves
// aliases and merge keys (<<, as kubectl's YAML reader does), rejects duplicate
// keys (or lets the last one win, as client-go does for kubeconfigs).
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

class TreeBuilder {
   public:
    explicit TreeBuilder(bool lastKeyWins = false) : lastKeyWins_(lastKeyWins) {}

    std::vector<Node> docs;

    void startDocument() {
        stack_.clear();
        root_ = Node{};
        haveRoot_ = false;
    }
    void endDocument() {
        // An empty document (or a lone null) holds no object; kubectl skips it too.
        if (haveRoot_ && !root_.isNull()) docs.push_back(std::move(root_));
    }
    void value(Node n, const std::string& anchor) { add(std::move(n), anchor); }
    void alias(const std::string& anchor, Mark mark, Mark endMark) {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end()) throw BuildError{mark, "unknown anchor \"" + anchor + "\" referenced"};
        Node n = it->second;
        n.mark = mark;
        n.end = endMark;
        n.shared = true;
        add(std::move(n), {});
    }
    void start(Node n, std::string anchor) {
        stack_.push_back(Frame{std::move(n), std::move(anchor), false, {}, {}});
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
        add(std::move(f.node), f.anchor);
    }

   private:
    struct Frame {
        Node node;
        std::string anchor;
        bool haveKey = false;                                   // Map: keys.back() waits for its value
        std::optional<std::size_t> merge;                       // Map: index of its plain `<<` key
        std::unique_ptr<std::unordered_set<std::string>> seen;  // Map: keys, once the map is large
    };

    void add(Node n, const std::string& anchor) {
        if (!anchor.empty()) {
            n.shared = true;
            anchors_[anchor] = n;
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
    std::unordered_map<std::string, Node> anchors_;
};

}  // namespace shift::doc::detail
