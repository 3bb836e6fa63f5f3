// Supplies std::ios_base_library_init() (new in GCC 13's libstdc++, GLIBCXX_3.4.32)
// for systems whose libstdc++ predates it (Debian 12, Ubuntu 22.04). TorchSharp's
// native library references this one symbol; GCC 13 emits the call so that the
// standard streams are initialised before use, which constructing an
// ios_base::Init object does on older libstdc++ as well.
#include <ios>

namespace std {
void ios_base_library_init()
{
    static ios_base::Init init;
}
}
