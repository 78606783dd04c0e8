//! `--smack-ipin`, `--smack-ipout`: the SMACK labels of the socket itself
//! (`fsetxattr(fd, "security.SMACK64IPIN" | "security.SMACK64IPOUT")`),
//! set on the fd before `bind()`, so that no client can reach the socket
//! under the default label (systemd's `SmackLabelIPIn=` does it after
//! `listen()`). Without SMACK the kernel answers `EOPNOTSUPP`: the run
//! fails, closed.
#![forbid(unsafe_code)]

use core::ffi::CStr;
use rustix::fs::{XattrFlags, fsetxattr};
use rustix::io::Errno;
use socketbinder::Word;
use socketbinder::diag;

use crate::Fail;
use crate::socket::Sock;

/// Sets the labels given; on failure, the message's words and the label.
pub fn label(
    sock: &Sock,
    ipin: Option<Word<'static>>,
    ipout: Option<Word<'static>>,
) -> Result<(), Fail<'static>> {
    let each: [(Option<Word<'static>>, &CStr, &'static [u8]); 2] = [
        (ipin, c"security.SMACK64IPIN", diag::SMACK_IN),
        (ipout, c"security.SMACK64IPOUT", diag::SMACK_OUT),
    ];
    for (label, name, what) in each {
        if let Some(w) = label {
            let v = w.to_bytes();
            fsetxattr(&**sock, name, v, XattrFlags::empty()).map_err(|e: Errno| (what, v, e))?;
        }
    }
    Ok(())
}
