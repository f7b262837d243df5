"""boto3 with Parlor's model (AWS_DATA_PATH=<repo>/models): calls list_messages and prints a
JSON report of what came back, for test/extensions/clients.test.ts to check."""
import json
import sys

from boto_support import client as boto_client, error_of

endpoint, room, missing_room, denied_key, denied_secret = sys.argv[1:6]


def client(*keys):
    return boto_client(endpoint, "parlor", *([keys] if keys else []))


c = client()
pages = []
token = None
while True:
    args = {"roomIdentifier": room, "maxResults": 2}
    if token:
        args["nextToken"] = token
    page = c.list_messages(**args)
    pages.append(
        [
            {
                "id": m["id"],
                "content": m["content"],
                "attributes": m["attributes"],
                "sendTime": m["sendTime"].isoformat(),
                "sendTimeType": type(m["sendTime"]).__name__,
                "sender": m["sender"],
            }
            for m in page["messages"]
        ]
    )
    token = page.get("nextToken")
    if not token:
        break

print(
    json.dumps(
        {
            "signingName": c.meta.service_model.signing_name,
            "pages": pages,
            "missing": error_of(lambda: c.list_messages(roomIdentifier=missing_room)),
            "badToken": error_of(lambda: c.list_messages(roomIdentifier=room, nextToken="nope")),
            "denied": error_of(lambda: client(denied_key, denied_secret).list_messages(roomIdentifier=room)),
        }
    )
)
