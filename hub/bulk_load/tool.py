"""Neo4j's offline import tool, run from the engine jars the project installs.

``org.neo4j.cli.AdminTool database import full`` (what ``neo4j-admin`` runs) writes a new
store for the instance's database from CSV files. The instance must be stopped; the store it
had is replaced (the caller has checked that it was empty).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from hub.bulk_load.tables import ARRAY_DELIMITER
from hub.neo4j_local import EmbeddedError, EmbeddedNeo4j


def run_import_tool(
    instance: EmbeddedNeo4j, database: str, arguments: list[str], work: Path, heap: str
) -> list[str]:
    """Runs the tool; its summary lines. Raises EmbeddedError with its output when it fails."""
    home = work / "home"
    (home / "conf").mkdir(parents=True, exist_ok=True)
    data = instance.instance_home / "data"
    (home / "conf" / "neo4j.conf").write_text(f"server.directories.data={data}\n")
    command = [
        "java", f"-Xmx{heap}", "-cp", f"{instance.lib}/*", "org.neo4j.cli.AdminTool",
        "database", "import", "full", database, "--overwrite-destination",
        f"--array-delimiter={ARRAY_DELIMITER}", "--multiline-fields=true",
        f"--report-file={work / 'import.report'}", *arguments,
    ]  # fmt: skip
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise EmbeddedError("the import tool failed:\n" + done.stdout[-3000:] + done.stderr[-3000:])
    lines = [line.strip() for line in done.stdout.splitlines()]
    start = next((i for i, line in enumerate(lines) if line.startswith("Imported")), len(lines))
    return [line for line in lines[start + 1 : start + 6] if line]
