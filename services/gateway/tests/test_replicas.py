"""Two gateways (replicas) on one NATS server change the shared settings at the same moment: no change is lost."""

import asyncio

import httpx

from niluflix.testing.net import free_port


async def test_changes_through_two_gateways_at_once_all_stay(
    client: httpx.AsyncClient, gateway, settings, start_gateway
) -> None:
    replica_settings = settings.model_copy(update={"port": free_port()})
    async with (
        start_gateway(replica_settings) as replica,
        httpx.AsyncClient(base_url=replica.url, timeout=15) as other,
    ):
        clients = [client, other]
        names = [f"Indexer {n}" for n in range(12)]
        changes = [
            clients[n % 2].post(
                "/api/indexers", json={"name": name, "url": f"http://127.0.0.1:{9100 + n}/api"}
            )
            for n, name in enumerate(names)
        ]
        changes.append(other.put("/api/settings", json={"max_concurrent_downloads": 7}))
        changes.append(client.post("/api/profiles", json={"name": "Phone", "qualities": ["720p"]}))
        answers = await asyncio.gather(*changes)
        assert [r.status_code for r in answers] == [201] * 12 + [200, 201], [r.text for r in answers]

        for http in clients:
            # A replica learns of the other's saves through its watch: a moment later.
            for _ in range(100):
                saved = (await http.get("/api/settings")).json()
                if len(saved["indexers"]) == len(names):
                    break
                await asyncio.sleep(0.05)
            assert sorted(i["name"] for i in saved["indexers"]) == sorted(names)
            assert saved["max_concurrent_downloads"] == 7
            assert "Phone" in [p["name"] for p in saved["quality_profiles"]]

        # A name taken through one replica is refused by the other.
        clash = await other.post("/api/indexers", json={"name": "indexer 0", "url": "http://127.0.0.1:1/api"})
        assert (clash.status_code, clash.json()["code"]) == (409, "conflict")
