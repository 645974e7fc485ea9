//! Reading source files and cache entries: one read for the length a file had when opened.

/// Reads the `len` bytes `file` holds (its length when it was opened) into `buffer`, in one
/// read where the system allows, without a further read to find the end. A file cut short
/// meanwhile gives what it still holds; the caller decides whether that will do. A length of
/// 0 is read to the end instead, since some network and virtual file systems give 0 for a
/// length they do not know.
pub fn opened(mut file: &std::fs::File, len: u64, buffer: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    if len == 0 {
        buffer.clear();
        return file.read_to_end(buffer).map(drop);
    }
    let len = usize::try_from(len).map_err(|_| std::io::ErrorKind::OutOfMemory)?;
    // Every byte up to `len` is read over, so a buffer is not cleared first: only what it
    // grows by is zeroed, and a new one comes zeroed from the allocator.
    if buffer.capacity() < len {
        *buffer = vec![0; len];
    } else {
        buffer.resize(len, 0);
    }
    let mut at = 0;
    while at < len {
        match file.read(&mut buffer[at..]) {
            Ok(0) => break,
            Ok(n) => at += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buffer.truncate(at);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_opened_file_is_read_to_the_length_it_had_and_no_further() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![5u8; 200_000]).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let mut buffer = vec![1, 2, 3];
        super::opened(&file, 200_000, &mut buffer).unwrap();
        assert_eq!(buffer, vec![5u8; 200_000], "the old contents are gone and every byte is read");
        // Grown since its length was taken: only that length is read.
        let file = std::fs::File::open(&path).unwrap();
        super::opened(&file, 10, &mut buffer).unwrap();
        assert_eq!(buffer, vec![5u8; 10]);
        // Cut short since: what is left, without an error.
        let file = std::fs::File::open(&path).unwrap();
        super::opened(&file, 300_000, &mut buffer).unwrap();
        assert_eq!(buffer.len(), 200_000);
        // A length of 0 may be one the file system does not know: read to the end.
        super::opened(&std::fs::File::open(&path).unwrap(), 0, &mut buffer).unwrap();
        assert_eq!(buffer.len(), 200_000);
        // A buffer that held more: nothing of it is left over.
        std::fs::write(&path, [5u8; 5]).unwrap();
        let mut buffer = vec![9u8; 100];
        super::opened(&std::fs::File::open(&path).unwrap(), 50, &mut buffer).unwrap();
        assert_eq!(buffer, [5u8; 5]);
    }
}
