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

/// The two attributes, and what a message calls each.
static ATTRS: [(&CStr, &[u8]); 2] = [
    (c"security.SMACK64IPIN", diag::SMACK_IN),
    (c"security.SMACK64IPOUT", diag::SMACK_OUT),
];

/// Sets the labels given; on failure, the message's words and the label.
pub fn label(
    sock: &Sock,
    ipin: Option<Word<'static>>,
    ipout: Option<Word<'static>>,
) -> Result<(), Fail<'static>> {
    for (label, &(name, what)) in [ipin, ipout].into_iter().zip(&ATTRS) {
        if let Some(w) = label {
            let v = w.to_bytes();
            fsetxattr(&**sock, name, v, XattrFlags::empty()).map_err(|e: Errno| (what, v, e))?;
        }
    }
    Ok(())
}
