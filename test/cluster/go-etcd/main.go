// Command etcd is the stock etcd server, built from the pinned go.etcd.io/etcd/server/v3 module
// (the upstream etcd binary's main package lives in the unversioned root module, so this file
// stands in for it).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
