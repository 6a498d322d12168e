"""Extract and compile the message catalogues (make messages).

Each app keeps its own catalogue in <app>/locale (its code and its templates); the project's
catalogue in locale/ holds immapp/ and templates/. Running makemessages inside an app folder
without settings writes to that app's catalogue only.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("applications", "quota", "payments", "documents")
LOCALES = ("en", "zh_Hant", "zh_Hans")
DJANGO_ADMIN = str(Path(sys.executable).parent / "django-admin")


def _locale_args() -> list[str]:
    return [arg for code in LOCALES for arg in ("-l", code)]


def main() -> int:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    for app in APPS:
        (ROOT / app / "locale").mkdir(exist_ok=True)
        for domain in ("django", "djangojs"):
            if domain == "djangojs" and not list((ROOT / app).rglob("*.js")):
                continue
            subprocess.run(
                [DJANGO_ADMIN, "makemessages", "-d", domain, "--no-obsolete", *_locale_args()],
                cwd=ROOT / app,
                env=env,
                check=True,
            )
    ignores = [arg for app in APPS for arg in ("--ignore", app + "/*")]
    ignores += ["--ignore", "devstack/*", "--ignore", "tests/*", "--ignore", "bench/*"]
    for domain in ("django", "djangojs"):
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-d",
                domain,
                "--no-obsolete",
                *_locale_args(),
                *ignores,
            ],
            cwd=ROOT,
            env=dict(os.environ, DEBUG="true"),
            check=True,
        )
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "--ignore", ".venv"],
        cwd=ROOT,
        env=dict(os.environ, DEBUG="true"),
        check=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
