import json

from recommender.__main__ import main
from recommender.dataset import INTERACTION_WEIGHTS, KINDS


def write_csvs(tmp_path, data):
    inter = tmp_path / "inter.csv"
    lines = ["user_id,item_id,weight,timestamp"]
    for u, i, k, t in zip(
        data.user_index, data.item_index, data.kinds, data.timestamps, strict=True
    ):
        lines.append(f"{data.users[u].id},{data.items[i].code},{INTERACTION_WEIGHTS[KINDS[k]]},{t}")
    inter.write_text("\n".join(lines) + "\n")
    uf = tmp_path / "uf.csv"
    uf.write_text("id,feature\n" + "".join(f"{u.id},{f}\n" for u in data.users for f in u.features))
    itf = tmp_path / "if.csv"
    itf.write_text(
        "id,feature\n" + "".join(f"{it.code},theme:{t}\n" for it in data.items for t in it.themes)
    )
    return inter, uf, itf


def test_evaluate_json_shape(tmp_path, small_data, capsys):
    inter, uf, itf = write_csvs(tmp_path, small_data)
    args = ["evaluate", "--interactions", str(inter), "--user-features", str(uf), "--item-features", str(itf),
            "--split", "users", "--epochs", "2", "--components", "8", "--json"]  # fmt: skip
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"model", "baselines", "n_users", "n_items", "n_train", "n_test", "seconds"}
    assert set(out["model"]) == {"precision_at_k", "recall_at_k", "ndcg_at_k", "auc", "coverage"}
    assert "global_popularity" in out["baselines"] and "segment_popularity" in out["baselines"]


def test_train_writes_artefact_and_table(tmp_path, small_data, capsys):
    inter, _, _ = write_csvs(tmp_path, small_data)
    out = tmp_path / "model"
    assert (
        main(
            [
                "train",
                "--interactions",
                str(inter),
                "--split",
                "time",
                "--epochs",
                "1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert (out / "meta.json").exists() and "ndcg_at_k" in capsys.readouterr().out


def test_bad_input_exit_code_2(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("user,item\na,b\n")
    assert main(["evaluate", "--interactions", str(bad), "--split", "random"]) == 2
    assert "user_id" in capsys.readouterr().err
    bad.write_text("user_id,item_id,weight\na,b,heavy\n")
    assert main(["evaluate", "--interactions", str(bad), "--split", "random"]) == 2
    assert (
        main(["evaluate", "--interactions", str(tmp_path / "missing.csv"), "--split", "time"]) == 2
    )
    ok = tmp_path / "ok.csv"
    ok.write_text("user_id,item_id\na,b\n")
    assert main(["evaluate", "--interactions", str(ok), "--split", "time"]) == 2  # no timestamps
    assert "timestamps" in capsys.readouterr().err


def test_evaluate_with_selection_adds_peers_ci_and_choice(tmp_path, small_data, capsys):
    inter, uf, itf = write_csvs(tmp_path, small_data)
    args = ["evaluate", "--interactions", str(inter), "--user-features", str(uf), "--item-features", str(itf),
            "--split", "random", "--max-epochs", "4", "--components", "8", "--json"]  # fmt: skip
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"model", "baselines", "n_users", "n_items", "n_train", "n_test", "seconds"}
    assert set(out["peers"]) == {"item_knn", "ease", "lightfm_defaults"}
    assert out["ci"]["baseline"] in out["baselines"]
    ci = out["ci"]["precision_at_k"]
    assert ci["low"] <= ci["mean_difference"] <= ci["high"]
    assert out["selection"]["choice"]["epochs"] in (4, 5)
    assert "used" in out["cold_start"] and "lightfm" in out


def test_evaluate_repeats_reports_spread(tmp_path, small_data, capsys):
    inter, uf, _ = write_csvs(tmp_path, small_data)
    args = ["evaluate", "--interactions", str(inter), "--user-features", str(uf), "--split", "users",
            "--repeats", "2", "--max-epochs", "2", "--components", "4", "--json"]  # fmt: skip
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["repeats"] == 2 and len(out["runs"]) == 2
    assert set(out["spread"]["model"]) == set(out["model"])
    assert main(args[:-1]) == 0 and "mean over 2 splits" in capsys.readouterr().out
