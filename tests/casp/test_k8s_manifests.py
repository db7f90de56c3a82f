"""kubectl is not available here, so the Kubernetes manifests in deploy/k8s are checked by reading them."""

import re

import pytest
import yaml
from django.conf import settings

from casp.celery import WORKER_GROUPS

K8S = settings.BASE_DIR / "deploy" / "k8s"


def _documents() -> list[dict]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return docs


def _workloads() -> dict[str, dict]:
    """Return {name: pod spec} of every Deployment and Job."""
    return {
        d["metadata"]["name"]: d["spec"]["template"]["spec"] for d in _documents() if d["kind"] in {"Deployment", "Job"}
    }


def _by_name(kind: str, name: str) -> dict:
    return next(d for d in _documents() if d["kind"] == kind and d["metadata"]["name"] == name)


def test_every_document_is_a_known_kind_with_a_name():
    kinds = {"Deployment", "Service", "Job", "ConfigMap", "PersistentVolumeClaim", "Kustomization"}
    docs = _documents()
    for doc in docs:
        assert doc["kind"] in kinds and doc.get("apiVersion"), doc.get("kind")
        assert doc["kind"] == "Kustomization" or doc["metadata"]["name"].startswith("casp-"), doc["metadata"]
    assert {"Deployment", "Service", "Job", "ConfigMap"} <= {d["kind"] for d in docs}


def test_the_web_deployment_has_liveness_and_readiness_probes_and_a_service():
    web = _by_name("Deployment", "casp-web")
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    ports = {p["name"] for p in container["ports"]}
    assert container["livenessProbe"]["httpGet"]["port"] in ports
    service = _by_name("Service", "casp-web")
    assert service["spec"]["selector"].items() <= web["spec"]["template"]["metadata"]["labels"].items()
    assert service["spec"]["ports"][0]["targetPort"] in ports


def test_one_worker_deployment_per_queue_group_and_one_beat():
    for group, queues in WORKER_GROUPS.items():
        command = _by_name("Deployment", f"casp-worker-{group}")["spec"]["template"]["spec"]["containers"][0]["command"]
        assert command[:4] == ["celery", "-A", "casp", "worker"] and command[command.index("-Q") + 1] == ",".join(
            queues
        )
    beat = _by_name("Deployment", "casp-beat")
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"
    assert "beat" in beat["spec"]["template"]["spec"]["containers"][0]["command"]


def test_the_migrate_job_alone_connects_as_the_owner():
    job = _by_name("Job", "casp-migrate")["spec"]["template"]["spec"]
    assert job["containers"][0]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name, pod in _workloads().items():
        names = {e["name"] for c in pod["containers"] for e in c.get("env", [])}
        assert ("DATABASE_OWNER_URL" in names) == (name == "casp-migrate"), name


@pytest.mark.parametrize(
    "name", ["casp-web", "casp-beat", "casp-migrate", *(f"casp-worker-{g}" for g in WORKER_GROUPS)]
)
def test_every_pod_runs_the_image_as_the_non_root_user_of_the_dockerfile(name):
    pod = _workloads()[name]
    user = re.findall(r"^USER (\S+)", (settings.BASE_DIR / "Dockerfile").read_text(), re.MULTILINE)[-1]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert str(pod["securityContext"]["runAsUser"]) == user.split(":")[0] != "0"
    images = {c["image"] for pod in _workloads().values() for c in pod["containers"]}
    assert len(images) == 1 and not images.pop().endswith(":latest")
    for container in pod["containers"]:
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]


def test_every_environment_variable_is_documented_and_secrets_come_from_a_secret():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (settings.BASE_DIR / "docs" / "configuration.md").read_text()))
    config = _by_name("ConfigMap", "casp-config")
    names = set(config["data"])
    for pod in _workloads().values():
        for container in pod["containers"]:
            assert container["envFrom"] == [{"configMapRef": {"name": "casp-config"}}]
            for entry in container.get("env", []):
                names.add(entry["name"])
                assert "secretKeyRef" in entry["valueFrom"], entry  # secrets never written in a manifest
    assert not names - documented, f"not in docs/configuration.md: {sorted(names - documented)}"
    assert config["data"]["DEBUG"] == "false"
    assert not {"SECRET_KEY", "DATABASE_URL", "DATABASE_OWNER_URL"} & set(config["data"])


def test_the_kustomization_lists_every_manifest_but_the_migrate_job():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "migrate-job.yaml"}
    assert set(kustomization["resources"]) == files
