from ninja import Router

router = Router(tags=["tiket"])
API_ORDER = 500


@router.get("/example-tickets", summary="Daftar tiket contoh", url_name="example_tickets")
def tickets(request):
    return [{"code": "VIP", "price": 150_000}]
