// Fuzz target: loading a case file (contract::Contract::load with the real schemas and one
// case file whose text is the input, in cases/delete-assets/). A ContractError is the
// expected refusal; any other exception escaping, a crash or a hang is a finding.
#include <cstdint>
#include <cstdlib>
#include <fstream>

#include "contract/contract.hpp"
#include "contract/error.hpp"
#include "fuzz_support.hpp"

using namespace conform;

namespace {

// A temporary contract tree, removed at exit: copies of the schemas a case file's checks
// read (without the response schemas, whose compiling would halve the rate) and a cases
// directory.
struct TempContract {
    std::filesystem::path root;
    TempContract()
    {
        auto temp = (std::filesystem::temp_directory_path() / "conform-fuzz-XXXXXX").string();
        if (!mkdtemp(temp.data())) {
            fuzz::violated("cannot make a temporary directory " + temp);
        }
        root = temp;
        std::filesystem::create_directories(schemas());
        for (const char* name : {"contract.json", "vod.openapi.json", "case.schema.json"}) {
            std::filesystem::copy_file(std::filesystem::path(CONFORM_FUZZ_SCHEMAS) / name, schemas() / name);
        }
        std::filesystem::create_directories(cases() / "delete-assets");
    }
    ~TempContract() { std::filesystem::remove_all(root); }
    std::filesystem::path schemas() const { return root / "schemas"; }
    std::filesystem::path cases() const { return root / "cases"; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const TempContract temp;
    std::ofstream(temp.cases() / "delete-assets" / "D1-fuzz.json", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    try {
        contract::Contract::load({temp.schemas(), temp.cases()});
    } catch (const contract::ContractError&) {
    }
    return 0;
}
