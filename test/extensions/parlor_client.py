"""boto3 with Parlor's model (AWS_DATA_PATH=<repo>/models): calls list_messages and prints a
JSON report of what came back, for test/extensions/clients.test.ts to check."""
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint, room, missing_room, denied_key, denied_secret = sys.argv[1:6]


def client(key="AKIAPARLORADMIN0", secret="admin-secret-0123456789abcdef"):
    return boto3.client(
        "parlor",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
    )


def error_of(call):
    try:
        call()
    except ClientError as e:
        return {
            "code": e.response["Error"]["Code"],
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
            "fieldList": e.response.get("fieldList"),
            "modeled": type(e).__name__,
        }
    return None


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
