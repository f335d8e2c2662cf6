//! Python 2 names that CPython's unpickler maps to Python 3 ones (`_compat_pickle`, applied when
//! `fix_imports` is on and the stream's protocol is below 3). vouch normalises every global
//! through these tables so that `__builtin__.eval` and `builtins.eval` are judged alike.

/// Whole-module renames.
static MODULES: &[(&str, &str)] = &[
    ("__builtin__", "builtins"),
    ("copy_reg", "copyreg"),
    ("Queue", "queue"),
    ("SocketServer", "socketserver"),
    ("ConfigParser", "configparser"),
    ("repr", "reprlib"),
    ("tkFileDialog", "tkinter.filedialog"),
    ("tkSimpleDialog", "tkinter.simpledialog"),
    ("tkColorChooser", "tkinter.colorchooser"),
    ("tkCommonDialog", "tkinter.commondialog"),
    ("Dialog", "tkinter.dialog"),
    ("Tkdnd", "tkinter.dnd"),
    ("tkFont", "tkinter.font"),
    ("tkMessageBox", "tkinter.messagebox"),
    ("ScrolledText", "tkinter.scrolledtext"),
    ("Tkconstants", "tkinter.constants"),
    ("Tix", "tkinter.tix"),
    ("ttk", "tkinter.ttk"),
    ("Tkinter", "tkinter"),
    ("markupbase", "_markupbase"),
    ("_winreg", "winreg"),
    ("thread", "_thread"),
    ("dummy_thread", "_dummy_thread"),
    ("dbhash", "dbm.bsd"),
    ("dumbdbm", "dbm.dumb"),
    ("dbm", "dbm.ndbm"),
    ("gdbm", "dbm.gnu"),
    ("xmlrpclib", "xmlrpc.client"),
    ("SimpleXMLRPCServer", "xmlrpc.server"),
    ("httplib", "http.client"),
    ("htmlentitydefs", "html.entities"),
    ("HTMLParser", "html.parser"),
    ("Cookie", "http.cookies"),
    ("cookielib", "http.cookiejar"),
    ("BaseHTTPServer", "http.server"),
    ("test.test_support", "test.support"),
    ("commands", "subprocess"),
    ("urlparse", "urllib.parse"),
    ("robotparser", "urllib.robotparser"),
    ("urllib2", "urllib.request"),
    ("anydbm", "dbm"),
    ("_abcoll", "collections.abc"),
    ("cPickle", "pickle"),
    ("_elementtree", "xml.etree.ElementTree"),
    ("FileDialog", "tkinter.filedialog"),
    ("SimpleDialog", "tkinter.simpledialog"),
    ("DocXMLRPCServer", "xmlrpc.server"),
    ("SimpleHTTPServer", "http.server"),
    ("CGIHTTPServer", "http.server"),
    ("UserDict", "collections"),
    ("UserList", "collections"),
    ("UserString", "collections"),
    ("whichdb", "dbm"),
    ("StringIO", "io"),
    ("cStringIO", "io"),
];

/// (module, name) renames.
/// A (module, name) pair.
type Name = (&'static str, &'static str);

static NAMES: &[(Name, Name)] = &[
    (("__builtin__", "xrange"), ("builtins", "range")),
    (("__builtin__", "reduce"), ("functools", "reduce")),
    (("__builtin__", "intern"), ("sys", "intern")),
    (("__builtin__", "unichr"), ("builtins", "chr")),
    (("__builtin__", "unicode"), ("builtins", "str")),
    (("__builtin__", "long"), ("builtins", "int")),
    (("__builtin__", "basestring"), ("builtins", "str")),
    (("__builtin__", "raw_input"), ("builtins", "input")),
    (("__builtin__", "execfile"), ("builtins", "exec")),
    (("itertools", "izip"), ("builtins", "zip")),
    (("itertools", "imap"), ("builtins", "map")),
    (("itertools", "ifilter"), ("builtins", "filter")),
    (("itertools", "ifilterfalse"), ("itertools", "filterfalse")),
    (("itertools", "izip_longest"), ("itertools", "zip_longest")),
    (("UserDict", "IterableUserDict"), ("collections", "UserDict")),
    (("UserList", "UserList"), ("collections", "UserList")),
    (("UserString", "UserString"), ("collections", "UserString")),
    (("whichdb", "whichdb"), ("dbm", "whichdb")),
    (("_socket", "fromfd"), ("socket", "fromfd")),
    (("_multiprocessing", "Connection"), ("multiprocessing.connection", "Connection")),
    (("multiprocessing.process", "Process"), ("multiprocessing.context", "Process")),
    (("multiprocessing.forking", "Popen"), ("multiprocessing.popen_fork", "Popen")),
    (("urllib", "ContentTooShortError"), ("urllib.error", "ContentTooShortError")),
    (("urllib", "getproxies"), ("urllib.request", "getproxies")),
    (("urllib", "pathname2url"), ("urllib.request", "pathname2url")),
    (("urllib", "quote_plus"), ("urllib.parse", "quote_plus")),
    (("urllib", "quote"), ("urllib.parse", "quote")),
    (("urllib", "unquote_plus"), ("urllib.parse", "unquote_plus")),
    (("urllib", "unquote"), ("urllib.parse", "unquote")),
    (("urllib", "url2pathname"), ("urllib.request", "url2pathname")),
    (("urllib", "urlcleanup"), ("urllib.request", "urlcleanup")),
    (("urllib", "urlencode"), ("urllib.parse", "urlencode")),
    (("urllib", "urlopen"), ("urllib.request", "urlopen")),
    (("urllib", "urlretrieve"), ("urllib.request", "urlretrieve")),
    (("urllib2", "HTTPError"), ("urllib.error", "HTTPError")),
    (("urllib2", "URLError"), ("urllib.error", "URLError")),
    (("os", "getcwdu"), ("os", "getcwd")),
];

/// Maps a Python 2 (module, name) to the Python 3 one the unpickler imports.
pub fn normalise(module: &str, name: &str) -> (String, String) {
    if let Some((_, (m, n))) = NAMES.iter().find(|((m, n), _)| *m == module && *n == name) {
        return ((*m).to_string(), (*n).to_string());
    }
    if let Some((_, m)) = MODULES.iter().find(|(old, _)| *old == module) {
        return ((*m).to_string(), name.to_string());
    }
    (module.to_string(), name.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn maps_python2_names() {
        assert_eq!(super::normalise("__builtin__", "eval"), ("builtins".into(), "eval".into()));
        assert_eq!(super::normalise("__builtin__", "execfile"), ("builtins".into(), "exec".into()));
        assert_eq!(super::normalise("httplib", "HTTPSConnection"), ("http.client".into(), "HTTPSConnection".into()));
        assert_eq!(super::normalise("torch", "Tensor"), ("torch".into(), "Tensor".into()));
    }
}
