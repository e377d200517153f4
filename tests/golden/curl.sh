# host: linux
# curl as lab scripts type it: -s -S -o -w -i -I -v -f -X, combined flags, exit statuses.
kubectl apply -f web.yaml
kubectl apply -f nodeport.yaml
kubectl rollout status sts/web --timeout=2m
curl -s -o /dev/null -w '%{http_code}\n' http://192.168.49.2:30080/
curl -sS -w 'status=%{http_code} from %{remote_ip}:%{remote_port} in %{time_total}s, %{size_download} bytes\n' -o /dev/null http://192.168.49.2:30080/visits
curl -i http://192.168.49.2:30080/visits
curl -I http://192.168.49.2:30080/
curl -fsSL http://192.168.49.2:30080/nothing-here; echo "exit $?"
curl -s http://192.168.49.2:30080/nothing-here && echo ok || echo "failed: $?"
curl -s -X POST http://192.168.49.2:30080/ -w ' %{http_code}\n'
curl -o page.html http://192.168.49.2:30080/visits
cat page.html
kubectl exec web-0 -- curl -sv web-1.visits:8080/visits
kubectl exec web-0 -- curl -s -w '%{http_code}\n' http://nowhere:8080/; echo "exit $?"
kubectl exec web-0 -- curl -sS http://nowhere:8080/
curl -s -m 3 http://10.244.0.5:8080/; echo "exit $?"
curl -sS --connect-timeout 2 http://10.244.0.5:8080/
curl --foo http://192.168.49.2:30080/; echo "exit $?"
curl -o
curl -s http://192.168.49.2:31111/; echo "exit $?"
kubectl logs web-0 | tail -n 2
