#include "util/random_id.hpp"

#include <random>

namespace conform::util {

std::string random_id()
{
    thread_local std::mt19937_64 engine{std::random_device{}()};
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (auto& c : id) {
        c = k_hex[engine() & 0xF];
    }
    return id;
}

}  // namespace conform::util
