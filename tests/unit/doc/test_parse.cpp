#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "data.hpp"
#include "doc/parse.hpp"

using namespace shift::doc;

namespace {

Node parseOne(std::string text) {
    auto r = parse(std::move(text), "t.yaml");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    REQUIRE(r->docs.size() == 1);
    return r->docs[0];
}

}  // namespace

TEST_SUITE("doc::parse") {
    TEST_CASE("YAML scalars keep their text and whether they were quoted") {
        auto r = parse(readData("reviews.yaml"), "reviews.yaml");
        REQUIRE(r.ok());
        CHECK(r->format == Format::Yaml);
        REQUIRE(r->docs.size() == 1);
        const Node& vs = r->docs[0];
        CHECK(vs.keys == std::vector<std::string>{"apiVersion", "kind", "metadata", "spec"});

        const Node* ann = vs.at({"metadata", "annotations"});
        REQUIRE(ann);
        for (const char* key :
             {"quoted-true", "single-no", "hex-string", "exp-string", "null-string", "empty"}) {
            const Node* n = ann->get(key);
            REQUIRE_MESSAGE(n, key);
            CHECK_MESSAGE(n->quoted, key);
            CHECK(n->isScalar());
        }
        CHECK(ann->get("single-no")->str() == "NO");
        CHECK(ann->get("empty")->str().empty());
        CHECK(ann->get("note")->quoted);
        CHECK(ann->get("note")->str() == "line one\nline two\n");
        CHECK(ann->get("folded")->str() == "folded text");

        const Node& rule = vs.at({"spec", "http"})->items.at(0);
        const Node& second = rule.get("route")->items.at(1);
        CHECK_FALSE(second.get("weight")->quoted);
        CHECK(second.get("weight")->str() == "0x32");
        CHECK(second.get("weight")->isInteger());
        CHECK(rule.get("timeout")->str() == "1.5");
        CHECK(rule.at({"mirrorPercentage", "value"})->str() == "1e3");
        CHECK(rule.get("enabled")->str() == "yes");
        CHECK(rule.get("nothing")->isNull());
        CHECK(rule.get("big")->str() == "12345678901234567890123");
        CHECK(rule.get("retries")->isMap());
        CHECK(rule.get("retries")->items.empty());
        CHECK(vs.at({"spec", "gateways"})->isSeq());
        CHECK(vs.at({"spec", "hosts"})->items.at(1).str() == "*.example.com");
    }

    TEST_CASE("YAML marks are 0-based line, column and offset of each node and key") {
        std::string text = "a: 1\nb:\n  c: [x, y]\n  d: {e: f}\n";
        auto r = parse(text, "t.yaml");
        REQUIRE(r.ok());
        const Node& root = r->docs[0];
        CHECK(root.mark.line == 0);
        REQUIRE(root.keyMarks.size() == 2);
        CHECK(root.keyMarks[1].line == 1);
        CHECK(root.keyMarks[1].column == 0);
        const Node* c = root.at({"b", "c"});
        CHECK(c->mark.line == 2);
        CHECK(c->mark.column == 5);
        CHECK(c->mark.pos == text.find("[x"));
        CHECK(c->flow);
        CHECK(c->items[1].mark.pos == text.find("y]"));
        CHECK(root.at({"b", "d"})->flow);
        CHECK_FALSE(root.get("b")->flow);
        CHECK(root.get("b")->keyMarks[1].pos == text.find("d:"));
        CHECK(root.get("a")->mark.pos == 3);
    }

    TEST_CASE("YAML end marks: just past a scalar or a flow collection, a block one's last value") {
        std::string text = "a: 1  # one\nb:\n  c: [x, \"é\"]   # ü\n  d: {e: fé}\n\n# after\n---\nz: 2\n";
        auto r = parse(text, "t.yaml");
        REQUIRE(r.ok());
        const Node& root = r->docs[0];
        CHECK(root.get("a")->end.pos == text.find("  # one"));
        const Node* c = root.at({"b", "c"});
        CHECK(c->end.pos == text.find("   # ü"));  // bytes, though libyaml counts characters
        CHECK(c->items[1].end.pos == text.find("]   # ü"));
        CHECK(root.at({"b", "d"})->end.pos == text.find("\n\n# after"));
        CHECK(root.get("b")->end.pos == text.find("\n\n# after"));  // not past the comment
        CHECK(root.end.pos == text.find("\n\n# after"));
    }

    TEST_CASE("multi-document YAML skips empty documents; List items are objects") {
        auto r = parse(readData("multi.yaml"), "multi.yaml");
        REQUIRE(r.ok());
        REQUIRE(r->docs.size() == 3);
        CHECK(r->docs[0].at({"metadata", "name"})->str() == "a");
        CHECK(r->docs[1].at({"metadata", "name"})->str() == "b");
        CHECK(r->docs[2].get("kind")->str() == "List");
        auto objs = objects(*r);
        REQUIRE(objs.size() == 4);
        CHECK(objs[2]->at({"metadata", "name"})->str() == "c");
        CHECK(objs[3]->at({"metadata", "name"})->str() == "d");
        CHECK(parse("", "e.yaml")->docs.empty());
        CHECK(parse("# only a comment\n", "e.yaml")->docs.empty());
    }

    TEST_CASE("anchors and aliases are resolved") {
        Node n = parseOne("base: &b {host: reviews, port: 80}\ncopy: *b\nlist: [&x 1, *x]\n");
        CHECK(n.at({"copy", "host"})->str() == "reviews");
        CHECK(n.get("list")->items[1].str() == "1");
    }

    TEST_CASE("merge keys (<<) add the merged maps' keys that the map does not set, where the << stood") {
        Node n = parseOne(
            "base: &b {host: reviews, port: 80}\n"
            "extra: &e {port: 9080, subset: v1}\n"
            "one: {name: a, <<: *b, port: 8080}\n"
            "two:\n  <<: [*e, *b]\n  name: b\n"
            "literal: {\"<<\": 1}\n");
        const Node* one = n.get("one");
        CHECK(one->keys == std::vector<std::string>{"name", "host", "port"});
        CHECK(one->get("port")->str() == "8080");  // the map's own key wins
        const Node* two = n.get("two");
        CHECK(two->keys == std::vector<std::string>{"port", "subset", "host", "name"});
        CHECK(two->get("port")->str() == "9080");  // the first merged map wins
        CHECK(n.get("literal")->keys ==
              std::vector<std::string>{"<<"});  // a quoted << is a key like any other
        CHECK(one->shared);
        CHECK_FALSE(n.get("literal")->shared);
    }

    TEST_CASE("a merge key takes a map or a list of maps") {
        for (const char* bad : {"a:\n  <<: 1\n", "a:\n  <<: [{x: 1}, 2]\n", "a:\n  <<:\n"}) {
            auto r = parse(bad, "m.yaml");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.find("m.yaml:2:3") != std::string::npos);
            CHECK(r.error().message.find("a merge key (<<) takes a map or a list of maps") !=
                  std::string::npos);
        }
    }

    TEST_CASE("anchored, aliased and merged nodes are marked shared; others are not") {
        Node n = parseOne("a: &x {k: 1}\nb: *x\nc: {k: 1}\nd: [&y 1, *y, 2]\n");
        CHECK(n.get("a")->shared);
        CHECK(n.get("b")->shared);
        CHECK_FALSE(n.get("c")->shared);
        CHECK_FALSE(n.shared);
        const auto& d = n.get("d")->items;
        CHECK(d[0].shared);
        CHECK(d[1].shared);
        CHECK_FALSE(d[2].shared);
    }

    TEST_CASE("explicit tags") {
        Node n = parseOne("a: !!str 10\nb: !!int \"10\"\n");
        CHECK(n.get("a")->quoted);
        CHECK_FALSE(n.get("b")->quoted);
    }

    TEST_CASE("JSON keeps number text, quotes strings, keeps key order") {
        auto r = parse(readData("reviews.json"), "reviews.json");
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->format == Format::Json);
        const Node& vs = r->docs.at(0);
        CHECK(vs.keys == std::vector<std::string>{"apiVersion", "kind", "metadata", "spec"});
        CHECK_FALSE(vs.mark.known());
        const Node* ann = vs.at({"metadata", "annotations"});
        CHECK(ann->get("s-true")->quoted);
        CHECK(ann->get("s-num")->str() == "1.0");
        CHECK(ann->get("s-multi")->str() == "a\nb\n");
        CHECK(ann->get("s-ctl")->str() == "tab\there \x01");
        const Node& rule = vs.at({"spec", "http"})->items.at(0);
        CHECK(rule.get("big")->str() == "12345678901234567890123");
        CHECK_FALSE(rule.get("big")->quoted);
        CHECK(rule.get("negbig")->str() == "-12345678901234567890123");
        CHECK(rule.get("u64")->str() == "18446744073709551615");
        CHECK(rule.get("float")->str() == "1.50");
        CHECK(rule.get("exp")->str() == "1E+3");
        CHECK(rule.get("t")->str() == "true");
        CHECK_FALSE(rule.get("t")->quoted);
        CHECK(rule.get("n")->isNull());
        CHECK(rule.get("empty")->isMap());
        CHECK(rule.get("none")->isSeq());
        CHECK(rule.get("route")->items[0].get("weight")->isInteger());
    }

    TEST_CASE("format detection") {
        CHECK(parse("  \n[1, 2]", "x")->format == Format::Json);
        CHECK(parse("\xEF\xBB\xBF{}", "x")->format == Format::Json);
        CHECK(parse("a: [1]", "x")->format == Format::Yaml);
    }

    TEST_CASE("errors name the file, line and column and say what to do") {
        SUBCASE("YAML") {
            auto r = parse(readData("bad.yaml"), "bad.yaml");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().exit == shift::kExitInput);
            CHECK(r.error().message.rfind("bad.yaml:", 0) == 0);
            CHECK(r.error().message.find("invalid YAML: ") != std::string::npos);
            CHECK(r.error().message.find("; fix the file and retry") != std::string::npos);
            CHECK(r.error().message.find('\n') == std::string::npos);
        }
        SUBCASE("YAML at a known place") {
            auto r = parse("a: 1\nb: 2\n  c: 3\n", "reviews.yaml");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.rfind("reviews.yaml:3:", 0) == 0);
        }
        SUBCASE("YAML duplicate key") {
            auto r = parse("spec:\n  weight: 1\n  weight: 2\n", "vs.yaml");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message ==
                  "vs.yaml:3:3: invalid YAML: duplicate key \"weight\"; fix the file and retry");
        }
        SUBCASE("YAML duplicate key, last wins when asked (kubeconfigs)") {
            auto r = parseYaml("a: 1\nb: 2\na: 3\n", "config", DuplicateKeys::LastWins);
            REQUIRE(r.ok());
            CHECK(r->docs.at(0).keys == std::vector<std::string>{"b", "a"});
            CHECK(r->docs.at(0).get("a")->str() == "3");
        }
        SUBCASE("YAML duplicate key in a large map") {
            std::string text;
            for (int i = 0; i < 40; ++i) text += "k" + std::to_string(i) + ": 1\n";
            text += "k7: 2\n";
            auto r = parse(text, "big.yaml");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.rfind("big.yaml:41:1: invalid YAML: duplicate key \"k7\"", 0) == 0);
        }
        SUBCASE("JSON") {
            auto r = parse(readData("bad.json"), "bad.json");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.rfind("bad.json:3:14: invalid JSON: ", 0) == 0);
            CHECK(r.error().message.find("; fix the file and retry") != std::string::npos);
            CHECK(r.error().message.find("json.exception") == std::string::npos);
        }
        SUBCASE("JSON truncated") {
            auto r = parse("{\"a\": [1,\n", "t.json");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.rfind("t.json:2:1: invalid JSON: ", 0) == 0);
        }
        SUBCASE("JSON number overflow: the message without nlohmann's exception name") {
            auto r = parse("{\"w\": 1e400}", "o.json");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message ==
                  "o.json: invalid JSON: number overflow parsing '1e400'; fix the file and retry");
        }
        SUBCASE("YAML reader errors (bad UTF-8, control characters) name the byte's line and column") {
            auto r = parse("a: 1\nb: x\xffy\n", "u.yaml");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.rfind("u.yaml:2:5: invalid YAML: invalid leading UTF-8 octet", 0) == 0);
            r = parse(std::string("a: b\0c\n", 7), "z.yaml");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.rfind("z.yaml:1:5: invalid YAML: control characters", 0) == 0);
        }
        SUBCASE("JSON duplicate key") {
            auto r = parse("{\"a\": 1, \"a\": 2}", "d.json");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message == "d.json: invalid JSON: duplicate key \"a\"; fix the file and retry");
        }
    }
}
