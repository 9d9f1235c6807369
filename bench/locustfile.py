"""Mixed citizen traffic for Locust (headless runs: bench/load.sh; ratios: bench/ratio.py).

Each simulated user is one synthetic citizen of the bench population
(``resident<N>@synthetic.lifepage.test``, password ``bench-password-2026``, see
bench/population.py). On start it logs in through the HTML form (CSRF token included)
and takes an API token. Then, with think time between requests (``LOCUST_WAIT``,
default "0.5-2" seconds; "0" for none):

    weight  request
      10    GET  /me/                                  the personal page
       4    GET  /services/?q=<word>                   catalog search
       4    GET  /services/<code>                      a service page
       4    GET  /api/v1/me/recommendations?limit=10   the API's recommendations
       2    POST /api/v1/me/duties/<id>/done           marking a duty done (then /reopen,
                                                       so the population stays as it was)
       1    POST /logout + /login                      logging in again

``LOCUST_SCENARIO=page`` runs only the personal page and ``LOCUST_SCENARIO=trivial`` only
the trivial route (``TRIVIAL_PATH``, default ``/static/css/site.css``: through gunicorn and
Flask, no database), for bench/ratio.py. Loopback targets only.
"""

from __future__ import annotations

import csv
import os
import random
import re

from locust import HttpUser, between, constant, events, task

CITIZENS = int(os.environ.get("BENCH_CITIZENS", "100000"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-2026")
DOMAIN = "synthetic.lifepage.test"
SCENARIO = os.environ.get("LOCUST_SCENARIO", "mixed")
TRIVIAL_PATH = os.environ.get("TRIVIAL_PATH", "/static/css/site.css")
SYNTHETIC_SERVICES = int(os.environ.get("BENCH_SYNTHETIC_SERVICES", "1791"))
REAL_CODES = (
    "hukou_birth_registration",
    "id_card_renewal",
    "driver_license_renewal",
    "passport_renewal",
    "primary_school_enrollment",
    "child_immunization",
    "iit_annual_reconciliation",
    "pension_claim",
    "resident_medical_insurance_payment",
    "death_hukou_cancellation",
)
WORDS = ("身份证", "护照", "退休", "出生", "社保", "驾驶证", "医保", "入学", "户口", "passport")
PCTS = ["50%", "95%", "99%"]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@events.quit.add_listener
def _final_stats(exit_code: int, **_kw) -> None:
    """Write the final figures (Locust's --csv files are periodic snapshots)."""
    path = os.environ.get("LOCUST_SUMMARY")
    runner = getattr(_final_stats, "environment", None)
    if not path or runner is None:
        return
    stats = runner.runner.stats
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Type", "Name", "Request Count", "Failure Count", "Requests/s"] + PCTS)
        for entry in [*sorted(stats.entries.values(), key=lambda e: e.name), stats.total]:
            out.writerow(
                [entry.method or "", entry.name, entry.num_requests, entry.num_failures,
                 f"{entry.total_rps:.2f}"]
                + [entry.get_response_time_percentile(float(p[:-1]) / 100) for p in PCTS]
            )  # fmt: skip


@events.init.add_listener
def _keep_environment(environment, **_kw) -> None:
    _final_stats.environment = environment


def _wait():
    spec = os.environ.get("LOCUST_WAIT", "0.5-2")
    if spec in ("0", ""):
        return constant(0)
    low, _, high = spec.partition("-")
    return between(float(low), float(high or low))


def _service_code() -> str:
    if random.random() < 0.5:
        return random.choice(REAL_CODES)
    return f"bench_svc_{random.randint(1, SYNTHETIC_SERVICES):05d}"


class Citizen(HttpUser):
    wait_time = _wait()

    def on_start(self) -> None:
        self.email = f"resident{random.randint(1, CITIZENS):04d}@{DOMAIN}"
        self.duty_ids: list[int] = []
        self.headers: dict[str, str] = {}
        if SCENARIO == "trivial":
            return
        self.login()
        if SCENARIO != "mixed":
            return
        with self.client.post(
            "/api/v1/tokens",
            json={"email": self.email, "password": PASSWORD},
            name="/api/v1/tokens",
            catch_response=True,
        ) as r:
            if r.status_code != 201:
                r.failure(f"token: {r.status_code}")
                return
            self.headers = {"Authorization": f"Bearer {r.json()['token']}"}
        r = self.client.get("/api/v1/me/duties", headers=self.headers, name="/api/v1/me/duties")
        if r.status_code == 200:
            body = r.json()
            items = body if isinstance(body, list) else body.get("items", [])
            self.duty_ids = [d["id"] for d in items if d.get("status") == "open"]

    def login(self) -> None:
        r = self.client.get("/login", name="/login [form]")
        match = CSRF.search(r.text or "")
        with self.client.post(
            "/login",
            data={
                "email": self.email,
                "password": PASSWORD,
                "csrf_token": match.group(1) if match else "",
            },
            name="/login",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"login refused: {r.status_code}")

    # --- the scenarios of bench/ratio.py -----------------------------------------------
    @task(10)
    def personal_page(self) -> None:
        if SCENARIO == "trivial":
            self.client.get(TRIVIAL_PATH, name="trivial")
            return
        self.client.get("/me/", name="/me/")

    # --- the mixed traffic ---------------------------------------------------------------
    @task(4)
    def search(self) -> None:
        if SCENARIO == "mixed":
            self.client.get(f"/services/?q={random.choice(WORDS)}", name="/services/?q=")
        else:
            self.personal_page()

    @task(4)
    def service_page(self) -> None:
        if SCENARIO == "mixed":
            self.client.get(f"/services/{_service_code()}", name="/services/<code>")
        else:
            self.personal_page()

    @task(4)
    def recommendations(self) -> None:
        if SCENARIO == "mixed" and self.headers:
            self.client.get(
                "/api/v1/me/recommendations?limit=10",
                headers=self.headers,
                name="/api/v1/me/recommendations",
            )
        else:
            self.personal_page()

    @task(2)
    def duty_done(self) -> None:
        if SCENARIO != "mixed" or not self.headers or not self.duty_ids:
            self.personal_page()
            return
        duty = random.choice(self.duty_ids)
        self.client.post(
            f"/api/v1/me/duties/{duty}/done",
            headers=self.headers,
            name="/api/v1/me/duties/<id>/done",
        )
        self.client.post(
            f"/api/v1/me/duties/{duty}/reopen",
            headers=self.headers,
            name="/api/v1/me/duties/<id>/reopen",
        )

    @task(1)
    def login_again(self) -> None:
        if SCENARIO != "mixed":
            self.personal_page()
            return
        r = self.client.get("/me/", name="/me/")
        match = CSRF.search(r.text or "")
        self.client.post(
            "/logout",
            data={"csrf_token": match.group(1) if match else ""},
            name="/logout",
            allow_redirects=False,
        )
        self.email = f"resident{random.randint(1, CITIZENS):04d}@{DOMAIN}"
        self.login()
