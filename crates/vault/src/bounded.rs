//! Reading input of a bounded size (a file to import, an image, standard input, a settings
//! file). At most one byte past the bound is read, so that a larger input is seen to be larger
//! without being read whole, and what was read is in a buffer that is zeroed on drop: it may
//! hold keys.

use std::io::{self, ErrorKind, Read};
use std::path::Path;

use tessera_core::Sensitive;

/// What `reader` gives, up to `max + 1` bytes: more than `max` says the input is too large,
/// which the caller reports in its own words (a format's reader may say it better).
pub fn read_up_to(reader: impl Read, max: u64) -> io::Result<Sensitive<Vec<u8>>> {
    let mut bytes = Sensitive::new(Vec::new());
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The file at `path`, up to `max + 1` bytes (see [`read_up_to`]).
pub fn read_file_up_to(path: &Path, max: u64) -> io::Result<Sensitive<Vec<u8>>> {
    read_up_to(std::fs::File::open(path)?, max)
}

/// Everything `reader` gives, at most `max` bytes: more is an error of kind `FileTooLarge`.
pub fn read_at_most(reader: impl Read, max: u64) -> io::Result<Sensitive<Vec<u8>>> {
    let bytes = read_up_to(reader, max)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(
            ErrorKind::FileTooLarge,
            format!("longer than {max} bytes"),
        ));
    }
    Ok(bytes)
}

/// UTF-8 text from `reader`, at most `max` bytes (see [`read_at_most`]).
pub fn read_text_at_most(reader: impl Read, max: u64) -> io::Result<Sensitive<String>> {
    let bytes = read_at_most(reader, max)?;
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Sensitive::new(text.to_owned())),
        Err(_) => Err(io::Error::new(
            ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_past_the_bound_is_read_and_no_more() {
        assert_eq!(
            read_up_to(&b"1234567"[..], 5).unwrap().as_slice(),
            b"123456"
        );
        assert_eq!(read_up_to(io::repeat(b'x'), 1024).unwrap().len(), 1025);
        assert_eq!(read_up_to(&b"123"[..], 5).unwrap().as_slice(), b"123");
    }

    #[test]
    fn past_the_bound_is_refused() {
        assert_eq!(read_at_most(&b"12345"[..], 5).unwrap().as_slice(), b"12345");
        let error = read_at_most(&b"123456"[..], 5).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::FileTooLarge);
        assert_eq!(error.to_string(), "longer than 5 bytes");
        let endless = read_at_most(io::repeat(b'x'), 1024).unwrap_err();
        assert_eq!(endless.kind(), ErrorKind::FileTooLarge);
    }

    #[test]
    fn text_must_be_utf8() {
        assert_eq!(read_text_at_most(&b"key"[..], 8).unwrap().as_str(), "key");
        let error = read_text_at_most(&[0xff, 0xfe][..], 8).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData);
    }
}
