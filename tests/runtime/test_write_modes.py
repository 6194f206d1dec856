"""Files written atomically (Save, Save As, ``flowdesk export``, seed and log exports) keep the permissions
of the file they replace, and a new file gets what the umask gives (not the temporary file's 0600)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

WRITE = """
import os, sys
from pathlib import Path
from runtime.elsa_json import save_workflow
from runtime.files import current_umask, write_text_atomically
from runtime.model import WorkflowDefinition
os.umask(int(sys.argv[1], 8))
assert current_umask() == int(sys.argv[1], 8)
folder = Path(sys.argv[2])
write_text_atomically(folder / "new.txt", "text")
save_workflow(WorkflowDefinition(name="W", activities=[], connections=[]), folder / "new.json")
print(oct((folder / "new.txt").stat().st_mode & 0o777), oct((folder / "new.json").stat().st_mode & 0o777))
"""


@pytest.mark.parametrize(("umask", "mode"), [("022", "0o644"), ("027", "0o640"), ("077", "0o600")])
def test_a_new_file_gets_the_umask_default(tmp_path: Path, umask: str, mode: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WRITE, umask, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=True,
    )
    assert result.stdout.split() == [mode, mode]


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    from runtime.files import write_text_atomically

    target = tmp_path / "kept.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o664)
    write_text_atomically(target, "new")
    assert target.stat().st_mode & 0o777 == 0o664
    assert target.read_text(encoding="utf-8") == "new"


def test_flowdesk_export_writes_a_new_file_with_the_umask_default(tmp_path: Path) -> None:
    source = PROJECT_ROOT / "samples" / "call-my-api.json"
    out = tmp_path / "exported.json"
    code = (
        "import os, sys; os.umask(0o022); from runtime.cli import main; "
        f"sys.exit(main(['export', {str(source)!r}, '-o', {str(out)!r}]))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True, capture_output=True)
    assert out.stat().st_mode & 0o777 == 0o644
