"""A private OpenLDAP server for the tests: Debian's slapd on a free port, config and data in tmp.

Nothing system-wide is touched: the configuration is a slapd.conf file in the test's folder
(``-f``), the database an mdb folder beside it, and the server runs in the foreground as our
child process, so that a test can stop (SIGSTOP) or kill it.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import ldap

SUFFIX = "dc=example,dc=gov"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
PASSWORD = "Dir@2026-pass"

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
loglevel none
database mdb
maxsize 16777216
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {folder}/data
index objectClass eq
index uid eq
index member eq
access to attrs=userPassword by anonymous auth by * none
access to * by * read
"""


def person(uid, full_name, ou, mail=None):
    return (
        f"dn: uid={uid},{PEOPLE}\n"
        "objectClass: inetOrgPerson\n"
        f"uid: {uid}\n"
        f"cn: {full_name}\n"
        f"sn: {full_name[0]}\n"
        f"ou: {ou}\n"
        f"mail: {mail or uid + '@example.gov'}\n"
        "title: 科员\n"
        f"userPassword: {PASSWORD}\n"
    )


def group(cn, members):
    lines = [f"dn: cn={cn},{GROUPS}", "objectClass: groupOfNames", f"cn: {cn}"]
    lines += [f"member: uid={uid},{PEOPLE}" for uid in members]
    return "\n".join(lines) + "\n"


DIRECTORY = "\n".join(
    [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\n"
        "o: Example\ndc: example\n",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
        person("zhangsan", "张三", "基建处"),
        person("lisi", "李四", "财务处"),
        person("wangwu", "王五", "党办"),
        person("zhaoliu", "赵六", "不存在的处"),
        group("dangban", ["wangwu"]),
        group("chuzhang", ["zhangsan", "lisi"]),
        group("xitong", ["wangwu"]),
        group("anquan", ["wangwu"]),
    ]
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Slapd:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process = None

    def start(self, ldif=DIRECTORY):
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        conf = self.folder / "slapd.conf"
        conf.write_text(
            CONFIG.format(
                folder=self.folder, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD
            )
        )
        (self.folder / "directory.ldif").write_text(ldif)
        subprocess.run(
            [SLAPADD, "-f", str(conf), "-l", str(self.folder / "directory.ldif")],
            check=True,
            capture_output=True,
        )
        # -d 0: stay in the foreground (our child), log nothing.
        self.process = subprocess.Popen(
            [SLAPD, "-h", self.uri, "-f", str(conf), "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                self.connect().unbind_s()
                return self
            except ldap.SERVER_DOWN:
                if self.process.poll() is not None:
                    raise RuntimeError("slapd exited at start") from None
                time.sleep(0.05)
        raise RuntimeError("slapd did not answer within 10 s")

    def connect(self):
        conn = ldap.initialize(self.uri)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 2)
        conn.set_option(ldap.OPT_TIMEOUT, 2)
        conn.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
        return conn

    def add_person(self, uid, full_name, ou, groups=()):
        conn = self.connect()
        conn.add_s(
            f"uid={uid},{PEOPLE}",
            [
                ("objectClass", [b"inetOrgPerson"]),
                ("uid", [uid.encode()]),
                ("cn", [full_name.encode()]),
                ("sn", [full_name[0].encode()]),
                ("ou", [ou.encode()]),
                ("userPassword", [PASSWORD.encode()]),
            ],
        )
        for cn in groups:
            conn.modify_s(
                f"cn={cn},{GROUPS}", [(ldap.MOD_ADD, "member", [f"uid={uid},{PEOPLE}".encode()])]
            )
        conn.unbind_s()

    def remove_from_group(self, uid, cn):
        conn = self.connect()
        conn.modify_s(
            f"cn={cn},{GROUPS}", [(ldap.MOD_DELETE, "member", [f"uid={uid},{PEOPLE}".encode()])]
        )
        conn.unbind_s()

    def delete_person(self, uid, groups=()):
        for cn in groups:
            self.remove_from_group(uid, cn)
        conn = self.connect()
        conn.delete_s(f"uid={uid},{PEOPLE}")
        conn.unbind_s()

    def freeze(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.thaw()
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
