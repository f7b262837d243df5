"""boto3 with Parlor's model (AWS_DATA_PATH=<repo>/models): list_room_users, ban_user,
unban_user and list_bans against a room where the test has users connected (alice twice, bob,
troll). Prints a JSON report of what came back, for room-users-and-bans-boto3.test.ts to check.
Order matters: the troll is banned (and so kicked) only after the users were listed."""
import json
import sys

from boto_support import client as boto_client, error_of

endpoint, room, missing_room, denied_key, denied_secret = sys.argv[1:6]


def client(service, *keys):
    return boto_client(endpoint, service, *keys)


def pages(call, key, **args):
    out, token = [], None
    while True:
        page = call(**args, **({"nextToken": token} if token else {}))
        out.append(page)
        token = page.get("nextToken")
        if not token:
            return out


parlor = client("parlor")
ivschat = client("ivschat")
report = {"operations": sorted(o for o in parlor.meta.service_model.operation_names)}

user_pages = pages(parlor.list_room_users, "users", roomIdentifier=room, maxResults=2)
report["userPages"] = [
    {
        "totals": [p["totalUsers"], p["totalConnections"]],
        "users": [
            {
                "userId": u["userId"],
                "attributes": u["attributes"],
                "connections": u["connections"],
                "connectTimeType": type(u["connectTime"]).__name__,
            }
            for u in p["users"]
        ],
    }
    for p in user_pages
]

parlor.ban_user(roomIdentifier=room, userId="troll", reason="from boto3")
parlor.ban_user(roomIdentifier=room, userId="lurker", durationSeconds=600)
parlor.ban_user(roomIdentifier=room, userId="griefer", reason="g")
report["tokenWhileBanned"] = error_of(lambda: ivschat.create_chat_token(roomIdentifier=room, userId="troll"))
ban_pages = pages(parlor.list_bans, "bans", roomIdentifier=room, maxResults=2)
report["banPages"] = [
    [
        {
            "userId": b["userId"],
            "reason": b["reason"],
            "createTimeType": type(b["createTime"]).__name__,
            "secondsToEnd": (b["expireTime"] - b["createTime"]).total_seconds() if "expireTime" in b else None,
        }
        for b in p["bans"]
    ]
    for p in ban_pages
]
report["unban"] = parlor.unban_user(roomIdentifier=room, userId="griefer")
report["unbanAgain"] = parlor.unban_user(roomIdentifier=room, userId="griefer")
report["bansAfterUnban"] = [b["userId"] for b in parlor.list_bans(roomIdentifier=room)["bans"]]
report["tokenAfterUnban"] = bool(ivschat.create_chat_token(roomIdentifier=room, userId="griefer")["token"])

report["errors"] = {
    "missingUsers": error_of(lambda: parlor.list_room_users(roomIdentifier=missing_room)),
    "missingBan": error_of(lambda: parlor.ban_user(roomIdentifier=missing_room, userId="u")),
    "missingUnban": error_of(lambda: parlor.unban_user(roomIdentifier=missing_room, userId="u")),
    "missingBans": error_of(lambda: parlor.list_bans(roomIdentifier=missing_room)),
    "longReason": error_of(lambda: parlor.ban_user(roomIdentifier=room, userId="u", reason="x" * 257)),
    "badToken": error_of(lambda: parlor.list_bans(roomIdentifier=room, nextToken="nope")),
    "denied": error_of(lambda: client("parlor", (denied_key, denied_secret)).ban_user(roomIdentifier=room, userId="alice")),
}
print(json.dumps(report))
