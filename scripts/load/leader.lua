-- A GET as the administrator (the province's dashboard).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ADMIN_TOKEN")
