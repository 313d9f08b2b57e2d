#include "util/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <streambuf>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace conform::util {

namespace {

// A stream buffer over the descriptor mkstemp returned: the file is written through the
// descriptor that created it, never opened again by a name someone else could swap.
class DescriptorBuffer : public std::streambuf {
  public:
    explicit DescriptorBuffer(int fd) : m_fd(fd) { setp(m_buffer, m_buffer + sizeof m_buffer); }
    // errno of the first failed write, or 0.
    int error() const { return m_error; }

  protected:
    int_type overflow(int_type c) override
    {
        if (!flush()) {
            return traits_type::eof();
        }
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return flush() ? 0 : -1; }

  private:
    bool flush()
    {
        for (const char* p = pbase(); p < pptr();) {
            const auto n = ::write(m_fd, p, static_cast<std::size_t>(pptr() - p));
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                m_error = n < 0 ? errno : EIO;
                return false;
            }
            p += n;
        }
        setp(m_buffer, m_buffer + sizeof m_buffer);
        return true;
    }

    int m_fd;
    int m_error = 0;
    char m_buffer[64 * 1024];
};

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content)
{
    write_file_atomically(path, [content](std::ostream& out) {
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
    });
}

void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write)
{
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    std::string temp = path.string() + ".tmp.XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        throw FileError("cannot write " + temp + ": " + std::strerror(errno));
    }
    auto discard = [&] {
        ::close(fd);
        std::filesystem::remove(temp, ec);
    };
    // mkstemp makes it private (0600); the file it replaces is an ordinary one.
    ::fchmod(fd, 0644);
    DescriptorBuffer buffer(fd);
    std::ostream out(&buffer);
    try {
        write(out);
    } catch (...) {
        discard();  // a writer that gives up leaves no temporary file behind
        throw;
    }
    out.flush();
    if (!out || buffer.error() != 0) {
        const int error = buffer.error() != 0 ? buffer.error() : EIO;
        discard();
        throw FileError("cannot write " + temp + ": " + std::strerror(error));
    }
    if (::close(fd) != 0) {
        const int error = errno;
        std::filesystem::remove(temp, ec);
        throw FileError("cannot write " + temp + ": " + std::strerror(error));
    }
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw FileError("cannot replace " + path.string() + ": " + ec.message());
    }
}

}  // namespace conform::util
