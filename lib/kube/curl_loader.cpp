#include "kube/curl_loader.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <mutex>

namespace shift::kube {

namespace {

template <class F>
bool bind(void* lib, const char* name, F& slot) {
    slot = reinterpret_cast<F>(::dlsym(lib, name));
    return slot != nullptr;
}

// Debian's libcurl4 links librtmp and libldap, which link GnuTLS, and GnuTLS initialises itself
// as it is loaded (reads its configuration, registers every algorithm: ~0.6 MiB resident per run)
// although shift's TLS is OpenSSL's. GNUTLS_NO_IMPLICIT_INIT=1 (GnuTLS's documented switch) leaves
// that to an explicit gnutls_global_init(), which rtmp:// and ldap:// code calls. It is set only
// while libcurl loads, so that exec credential plugins never inherit it; a user's value is kept.
class GnutlsInitDeferred {
   public:
    GnutlsInitDeferred() : set_(std::getenv(kName) == nullptr) {
        if (set_) ::setenv(kName, "1", 0);
    }
    ~GnutlsInitDeferred() {
        if (set_) ::unsetenv(kName);
    }
    GnutlsInitDeferred(const GnutlsInitDeferred&) = delete;
    GnutlsInitDeferred& operator=(const GnutlsInitDeferred&) = delete;

   private:
    static constexpr const char* kName = "GNUTLS_NO_IMPLICIT_INIT";
    bool set_;
};

Result<const CurlApi*> load() {
    static CurlApi api;
    void* lib = nullptr;
    {
        GnutlsInitDeferred deferred;
        lib = ::dlopen("libcurl.so.4", RTLD_LAZY | RTLD_LOCAL);
    }
    if (!lib) {
        return fail(fmt::format("cannot load libcurl ({}); install it with `sudo apt-get install libcurl4`",
                                ::dlerror()),
                    kExitApi);
    }
    bool ok =
        bind(lib, "curl_global_init", api.global_init) && bind(lib, "curl_easy_init", api.easy_init) &&
        bind(lib, "curl_easy_cleanup", api.easy_cleanup) && bind(lib, "curl_easy_setopt", api.easy_setopt) &&
        bind(lib, "curl_easy_getinfo", api.easy_getinfo) &&
        bind(lib, "curl_easy_perform", api.easy_perform) &&
        bind(lib, "curl_easy_strerror", api.easy_strerror) && bind(lib, "curl_free", api.free) &&
        bind(lib, "curl_slist_append", api.slist_append) &&
        bind(lib, "curl_slist_free_all", api.slist_free_all) && bind(lib, "curl_url", api.url) &&
        bind(lib, "curl_url_cleanup", api.url_cleanup) && bind(lib, "curl_url_get", api.url_get) &&
        bind(lib, "curl_url_set", api.url_set) && bind(lib, "curl_easy_duphandle", api.easy_duphandle) &&
        bind(lib, "curl_multi_init", api.multi_init) && bind(lib, "curl_multi_cleanup", api.multi_cleanup) &&
        bind(lib, "curl_multi_setopt", api.multi_setopt) &&
        bind(lib, "curl_multi_add_handle", api.multi_add_handle) &&
        bind(lib, "curl_multi_remove_handle", api.multi_remove_handle) &&
        bind(lib, "curl_multi_perform", api.multi_perform) && bind(lib, "curl_multi_poll", api.multi_poll) &&
        bind(lib, "curl_multi_info_read", api.multi_info_read) &&
        bind(lib, "curl_share_init", api.share_init) && bind(lib, "curl_share_setopt", api.share_setopt) &&
        bind(lib, "curl_share_cleanup", api.share_cleanup);
    if (!ok) {
        return fail("the installed libcurl is too old (shift needs 7.71 or later); upgrade libcurl4",
                    kExitApi);
    }
    api.global_init(CURL_GLOBAL_DEFAULT);
    return &api;
}

}  // namespace

Result<const CurlApi*> curlApi() {
    static std::once_flag once;
    static Result<const CurlApi*> loaded = fail("libcurl not loaded", kExitApi);
    std::call_once(once, [] { loaded = load(); });
    return loaded;
}

}  // namespace shift::kube
