module example.com/demo

go 1.21

require (
	golang.org/x/net v0.7.0
	golang.org/x/crypto v0.0.0-20200622213623-75b288015ac9
	github.com/gin-gonic/gin v1.6.0
	gopkg.in/yaml.v2 v2.2.2 // indirect
)
