#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "util/atomic_file.hpp"

using namespace conform;

namespace {

std::filesystem::path fresh_folder(const std::string& name)
{
    const auto folder = std::filesystem::path(CONFORM_TEST_OUTPUT) / "atomic_file" / name;
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return folder;
}

std::string read(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::size_t files_in(const std::filesystem::path& folder)
{
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder), {}));
}

}  // namespace

TEST_CASE("a file written atomically holds all that was written, readable by all, and no temporary file stays",
          "[util]")
{
    const auto folder = fresh_folder("whole");
    const auto path = folder / "report.txt";
    const std::string big(200 * 1024 + 7, 'x');  // more than the write buffer holds
    util::write_file_atomically(path, big);
    CHECK(read(path) == big);
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0644);
    util::write_file_atomically(path, [](std::ostream& out) { out << "second"; });
    CHECK(read(path) == "second");
    CHECK(files_in(folder) == 1);
}

TEST_CASE("a writer that throws leaves the old file and no temporary file", "[util]")
{
    const auto folder = fresh_folder("throws");
    const auto path = folder / "fixtures.json";
    util::write_file_atomically(path, "old");
    CHECK_THROWS_WITH(util::write_file_atomically(path,
                                                  [](std::ostream& out) {
                                                      out << std::string(100 * 1024, 'y');
                                                      throw std::runtime_error("gave up");
                                                  }),
                      "gave up");
    CHECK(read(path) == "old");
    CHECK(files_in(folder) == 1);
}

TEST_CASE("a file that cannot be written is an error naming it", "[util]")
{
    CHECK_THROWS_AS(util::write_file_atomically("/proc/forbidden/x.json", "x"), util::FileError);
    CHECK_THROWS_WITH(util::write_file_atomically("/proc/forbidden/x.json", "x"),
                      Catch::Contains("/proc/forbidden/x.json"));
}
