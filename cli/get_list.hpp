#pragma once
// `shift get` over many VirtualServices without holding them all: the cluster's LIST read in pages
// (each page's body and tree freed before the next), and -o json|yaml's SplitList written item by
// item, byte for byte as core::toListNode would print it whole.
#include <cstdio>
#include <functional>
#include <string>

#include "app/store.hpp"
#include "cmd_get.hpp"
#include "core/object_ref.hpp"
#include "core/split_report.hpp"
#include "kube/istio_api.hpp"

namespace shift::cli {

// kubectl's --chunk-size default: a page of 500 objects.
inline constexpr int kListChunk = 500;

// The chunk size: kListChunk, or SHIFT_TEST_LIST_CHUNK (a test-only knob, so tests page small lists).
int listChunk();

// Each report of the LIST of ns ("" for every namespace), page by page, in the server's order.
Status forEachListed(kube::Api& api, const std::string& ns, const GetOptions& o, int chunk,
                     const std::function<void(core::SplitReport&&)>& each);

// The report of one named object of either kind (one GET).
Result<core::SplitReport> namedReport(kube::Api& api, const std::string& ns, const core::ObjectRef& ref,
                                      const GetOptions& o);

// -o json or -o yaml of a SplitList as it comes: the header with the first item (or the empty list
// at finish), each item when added, the closing at finish.
class SplitListWriter {
   public:
    SplitListWriter(std::FILE* out, app::Output output) : out_(out), output_(output) {}
    void add(const core::SplitReport& report);
    void finish();

   private:
    std::FILE* out_;
    app::Output output_;
    bool any_ = false;
};

}  // namespace shift::cli
